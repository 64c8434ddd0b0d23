from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.fields import RegionChoiceField
from qualityweek.consent import ConsentField
from qualityweek.forms import EmailAddressField, required
from qualityweek.models import ConsentText
from qualityweek.phones import PhoneField
from qualityweek.submissions import PublicForm, SubmissionKeyMixin

from . import services
from .models import VenueApplication

# A hall of a regional ministry, a university's assembly hall, a cinema: more than
# this is a typo, not a venue.
MAX_AUDIENCE = 10_000


class VenueApplicationForm(PublicForm, SubmissionKeyMixin, forms.ModelForm):
    """A regional venue applies to connect online; organisers moderate it."""

    anchor = "venue-form"
    email_help_text = _("We write here about the application; never published.")

    region = RegionChoiceField(
        label=_("Region"),
        empty_label=_("Choose a region"),
        error_messages={
            **required(_("Choose the venue's region.")),
            "invalid_choice": _("Choose the region from the list."),
        },
    )
    audience = forms.IntegerField(
        label=_("Expected audience"),
        min_value=1,
        max_value=MAX_AUDIENCE,
        help_text=_("About how many people will watch at the venue."),
        error_messages={
            **required(_("Say about how many people will watch.")),
            "invalid": _("Enter a whole number of people, such as 40."),
            "min_value": _("Enter a whole number of people, such as 40."),
            "max_value": _("Enter at most %(limit_value)s people."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tech_email = EmailAddressField(
        label=_("Technical contact's e-mail"),
        help_text=_("Optional: the connection instructions go here too."),
        required=False,
        autocomplete="off",
    )
    tech_phone = PhoneField(
        label=_("Technical contact's phone"),
        error_messages=required(_("Enter the technical contact's phone number.")),
    )
    consent = ConsentField(
        summary=_(
            "I consent to the organisers of World Quality Week processing the "
            "data of the contact person and the technical contact given above "
            "(names, e-mail addresses, phones) in order to consider the venue's "
            "application, to connect it to the regional day and to write to us "
            "about it, under Federal Law No. 152-FZ “On Personal Data”. The "
            "contacts are never published. I can withdraw my consent at any time."
        ),
        required_message=_(
            "The application needs your consent to the processing of personal data."
        ),
    )

    class Meta:
        model = VenueApplication
        fields = services.SUBMITTED_FIELDS
        labels = {
            "city": _("City or town"),
            "venue_name": _("Venue"),
            "address": _("Address"),
            "organising_body": _("Organising body"),
            "contact_name": _("Contact person"),
            "tech_name": _("Technical contact"),
            "note": _("Note"),
        }
        help_texts = {
            "venue_name": _("For example, the assembly hall of the regional ministry."),
            "organising_body": _(
                "The ministry, administration, centre or company that runs the venue."
            ),
            "contact_name": _("For the organisers only; never published."),
            "tech_name": _("Who sets up the connection on the day."),
            "note": _("Anything the organisers should know: a second hall, a time."),
        }
        error_messages = {
            "city": required(_("Enter the city or town.")),
            "venue_name": required(_("Name the venue.")),
            "address": required(_("Enter the venue's address.")),
            "organising_body": required(_("Name the organising body.")),
            "contact_name": required(_("Enter the contact person's name.")),
            "tech_name": required(_("Enter the technical contact's name.")),
        }
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "organising_body": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "tech_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, consent_text: ConsentText | None, **kwargs):
        super().__init__(*args, consent_text=consent_text, **kwargs)
        for name in ("city", "venue_name", "address", "organising_body", "note"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["tech_phone"].widget.attrs["autocomplete"] = "off"
        self.helper.layout = Layout(
            Fieldset(
                gettext("The venue"),
                Div("region", "city", css_class="form-pair"),
                "venue_name",
                "address",
                "organising_body",
                "audience",
            ),
            Fieldset(
                gettext("Contact person"),
                "contact_name",
                Div("email", "phone", css_class="form-pair"),
            ),
            Fieldset(
                gettext("Technical contact"),
                "tech_name",
                Div("tech_email", "tech_phone", css_class="form-pair"),
            ),
            "note",
            *self.closing(gettext("Send the application")),
        )
