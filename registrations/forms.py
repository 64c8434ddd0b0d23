from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.fields import RegionChoiceField
from qualityweek.consent import ConsentField
from qualityweek.forms import EmailAddressField, required
from qualityweek.models import ConsentText
from qualityweek.submissions import PublicForm

from .models import normalise_ticket_code


class RegistrationForm(PublicForm):
    """A person's sign-up to attend an event in person (152-FZ consent included)."""

    anchor = "register"
    email_help_text = _("We send the link to confirm your registration here.")

    surname = forms.CharField(
        label=_("Surname"),
        max_length=100,
        error_messages=required(_("Enter your surname.")),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages=required(_("Enter your name.")),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    patronymic = forms.CharField(
        label=_("Patronymic"),
        max_length=100,
        required=False,
        help_text=_("If you have one."),
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        error_messages=required(_("Enter the organisation you work for.")),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        error_messages=required(_("Enter your position.")),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    region = RegionChoiceField(
        label=_("Region"),
        empty_label=_("Choose a region"),
        abroad_label=_("Another country (outside Russia)"),
        help_text=_("Where you live or work. From abroad? Choose the last line."),
        error_messages={
            **required(_("Choose your region.")),
            "invalid_choice": _("Choose your region from the list."),
        },
    )
    consent = ConsentField(
        summary=_(
            "I consent to the organisers of the event processing my personal "
            "data given above (full name, e-mail, phone, organisation, "
            "position, region) in order to register me to attend the event in "
            "person and to issue my pass to the venue, under Federal Law "
            "No. 152-FZ “On Personal Data”. I can withdraw my consent at any "
            "time."
        ),
        required_message=_(
            "Registration needs your consent to the processing of your personal data."
        ),
    )

    def __init__(
        self,
        *args,
        consent_text: ConsentText,
        submit_label: str,
        regions=None,
        **kwargs,
    ):
        """`regions`, the regions already read, lets the forms of one page share
        the list instead of each reading it."""
        super().__init__(*args, consent_text=consent_text, **kwargs)
        if regions is not None:
            self.fields["region"].offered = regions
        self.submit_label = submit_label
        self.helper.layout = Layout(
            Div("surname", "name", "patronymic", css_class="form-person"),
            "email",
            "phone",
            "organisation",
            "position",
            "region",
            *self.closing(submit_label, name="register"),
        )


class OnlineRegistrationForm(RegistrationForm):
    """A person's sign-up to take part online: no seat, so no phone for a pass;
    its own consent, asked for this purpose."""

    prefix = "online"  # beside the in-person form on one page
    anchor = "online"
    phone = None
    consent = ConsentField(
        summary=_(
            "I consent to the organisers of the event processing my personal "
            "data given above (full name, e-mail, organisation, position, "
            "region) in order to register me to take part in the event online "
            "and to send me the stream link, under Federal Law No. 152-FZ "
            "“On Personal Data”. I can withdraw my consent at any time."
        ),
        required_message=_(
            "Registration needs your consent to the processing of your personal data."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Div("surname", "name", "patronymic", css_class="form-person"),
            "email",
            "organisation",
            "position",
            "region",
            *self.closing(self.submit_label, name="register_online"),
        )


class CorrectEmailForm(forms.Form):
    """The address the confirmation letter goes to, corrected after a typo."""

    email = EmailAddressField(
        label=_("E-mail"),
        required_message=_("Enter your e-mail address."),
    )


class CheckinForm(forms.Form):
    """The ticket code typed at the door; the QR's link skips this form."""

    code = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        help_text=_("Eight letters and digits from the ticket, in any case."),
        error_messages=required(_("Type the code from the ticket.")),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
                "class": "form-control-lg checkin-code",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("registrations:checkin")
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "code", Submit("find", _("Find the ticket"), css_class="btn-lg w-100")
        )

    def clean_code(self):
        code = normalise_ticket_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _("Type the code from the ticket."), code="required"
            )
        return code
