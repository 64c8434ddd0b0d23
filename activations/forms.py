import datetime

from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.db.models.fields.files import FieldFile
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.fields import RegionChoiceField
from events.models import Edition
from qualityweek import images
from qualityweek.consent import ConsentField
from qualityweek.forms import required
from qualityweek.models import ConsentText
from qualityweek.submissions import PublicForm, SubmissionKeyMixin

from . import services
from .models import Activation
from .validators import validate_inn


class ActivationForm(PublicForm, SubmissionKeyMixin, forms.ModelForm):
    """A company announces its activation; organisers moderate it."""

    anchor = "activation-form"
    email_help_text = _("We write here about moderation; never published.")

    inn = forms.CharField(
        label=_("INN"),
        max_length=20,
        help_text=_("10 digits for an organisation, 12 for an entrepreneur."),
        error_messages=required(_("Enter the company's INN.")),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    region = RegionChoiceField(
        label=_("Region"),
        empty_label=_("Choose a region"),
        error_messages={
            **required(_("Choose the region where it takes place.")),
            "invalid_choice": _("Choose the region from the list."),
        },
    )
    first_day = forms.TypedChoiceField(
        label=_("First day"),
        coerce=datetime.date.fromisoformat,
        error_messages=required(_("Choose the day it starts.")),
    )
    last_day = forms.TypedChoiceField(
        label=_("Last day"),
        coerce=datetime.date.fromisoformat,
        required=False,
        empty_value=None,
        help_text=_("Leave as is for a one-day activation."),
    )
    # The stored image shows as a picture beside the field (never its file name).
    image = images.ImageField(label=_("Image"), required=False, widget=forms.FileInput)
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    consent = ConsentField(
        summary=_(
            "I consent to the organisers of World Quality Week processing the "
            "contact person's data given above (name, e-mail, phone) and the "
            "company's INN in order to moderate and publish the activation and to "
            "write to us about it, under Federal Law No. 152-FZ “On Personal "
            "Data”. The contact details are never published. I can withdraw my "
            "consent at any time."
        ),
        required_message=_(
            "The activation needs your consent to the processing of personal data."
        ),
    )

    class Meta:
        model = Activation
        fields = [*services.SUBMITTED_FIELDS, "image"]
        labels = {
            "company_name": _("Company"),
            "website": _("Company website"),
            "city": _("City or town"),
            "kind": _("Kind of activation"),
            "title": _("Title"),
            "description": _("What happens, for whom and how to take part"),
            "address": _("Address"),
            "online_url": _("Online link"),
            "contact_name": _("Contact person"),
        }
        help_texts = {
            "address": _("Where it takes place in person."),
            "online_url": _("For an online activation: its page or broadcast."),
            "contact_name": _("For the organisers only; never published."),
        }
        error_messages = {
            "company_name": required(_("Enter the company's name.")),
            "city": required(_("Enter the city or town.")),
            "kind": required(_("Choose what kind of activation it is.")),
            "title": required(_("Give the activation a title.")),
            "description": required(_("Describe the activation.")),
            "contact_name": required(_("Enter the contact person's name.")),
            "website": {"invalid": _("Enter a link such as https://example.ru.")},
            "online_url": {"invalid": _("Enter a link such as https://example.ru.")},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "company_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "online_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(
        self,
        *args,
        edition: Edition,
        consent_text: ConsentText | None,
        submit_label: str,
        **kwargs,
    ):
        super().__init__(*args, consent_text=consent_text, **kwargs)
        self.edition = edition
        days = [
            (day.isoformat(), formats.date_format(day, "l, j E"))
            for day in edition.days()
        ]
        self.fields["first_day"].choices = [("", _("Choose a day")), *days]
        self.fields["last_day"].choices = [("", _("The same day")), *days]
        self.fields["kind"].choices = [
            ("", _("Choose a kind")),
            *Activation.Kind.choices,
        ]
        for name in ("description", "title", "company_name", "city"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        if self.instance.pk:
            # The stored days and region as the choices name them.
            self.initial["first_day"] = self.instance.first_day.isoformat()
            self.initial["last_day"] = self.instance.last_day.isoformat()
            self.initial["region"] = self.instance.region.code
            if self.instance.image:
                self.fields["image"].help_text = format_html(
                    "{} {}",
                    gettext("An image is attached; a new one replaces it."),
                    self.fields["image"].help_text,
                )
        if not self.instance.image:
            del self.fields["remove_image"]
        self.helper.layout = Layout(
            Fieldset(
                gettext("The company"),
                "company_name",
                Div("inn", "website", css_class="form-pair"),
                Div("region", "city", css_class="form-pair"),
            ),
            Fieldset(
                gettext("The activation"),
                "kind",
                "title",
                "description",
                Div("first_day", "last_day", css_class="form-pair"),
                "address",
                "online_url",
                *(
                    [
                        "image",
                        HTML(
                            '{% include "activations/includes/current_image.html" '
                            "with activation=form.instance only %}"
                        ),
                        "remove_image",
                    ]
                    if self.instance.image
                    else ["image"]
                ),
            ),
            Fieldset(
                gettext("Contact person"),
                "contact_name",
                Div("email", "phone", css_class="form-pair"),
            ),
            *self.closing(submit_label),
        )

    def clean_inn(self):
        inn = "".join(self.cleaned_data["inn"].split())
        validate_inn(inn)
        return inn

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and not last:
            cleaned["last_day"] = first
        elif first and last and last < first:
            self.add_error(
                "last_day", gettext("The last day cannot come before the first.")
            )
        if not cleaned.get("address") and not cleaned.get("online_url"):
            message = gettext("Give the address, the online link, or both.")
            if "address" not in self.errors:
                self.add_error("address", message)
        if self.errors and self.files.get("image") and "image" not in self.errors:
            # Browsers never send a file back: say so rather than lose it quietly.
            self.add_error(
                "image",
                gettext(
                    "The image was fine, but the form had other errors: attach it "
                    "again before you send the form."
                ),
            )
        return cleaned

    def _post_clean(self):
        # The image is stored by the service from cleaned_data; the model
        # instance never holds the upload.
        image = self.cleaned_data.pop("image", None)
        super()._post_clean()
        # Without an upload a file field cleans to the stored file, its initial
        # value: only a new upload is an image to store.
        self.cleaned_data["image"] = None if isinstance(image, FieldFile) else image
