"""Phone numbers as people type them, stored in one form (E.164)."""

import re

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

# Where numbers without a country code are from.
PHONE_REGION = "RU"
# What PhoneField stores: E.164, a plus and at most 15 digits, never a leading 0.
STORED_PHONE = re.compile(r"\+[1-9][0-9]{1,14}")


def is_stored_phone(text: str) -> bool:
    """Whether the text is a phone exactly as the site stores one (+79161234567)."""
    return STORED_PHONE.fullmatch(text) is not None


class PhoneField(forms.CharField):
    """A phone in any usual spelling; cleaned to +79161234567."""

    default_error_messages = {
        "required": _("Enter your phone number."),
        "invalid": _("Enter a phone number such as +7 916 123-45-67."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("For example +7 916 123-45-67."))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            number = phonenumbers.parse(value, PHONE_REGION)
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
