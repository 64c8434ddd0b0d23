"""Small pieces every public form uses."""

from django import forms
from django.utils.translation import gettext_lazy as _


def required(message) -> dict:
    """`error_messages` that say, in the visitor's language, what to fill in."""
    return {"required": message}


class EmailAddressField(forms.EmailField):
    """An e-mail address as people type it, kept trimmed and in lower case, so
    that one person is one address for limits, look-ups and erasure."""

    def __init__(self, *, required_message=None, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget",
            forms.EmailInput(
                attrs={"autocomplete": kwargs.pop("autocomplete", "email")}
            ),
        )
        kwargs.setdefault(
            "error_messages",
            {
                **required(required_message or _("Enter an e-mail address.")),
                "invalid": _("Enter an e-mail address such as name@example.ru."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return super().clean(value).strip().lower()
