"""Small pieces every public form uses."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from .plain_text import validate_one_line, without_controls
from .spam import HONEYPOT_FIELD, RENDERED_FIELD


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


class PlainTextMixin:
    """For public forms: every one-line text field refuses line breaks and
    control characters; every multi-line one (a Textarea) keeps its line breaks
    and drops the rest. Put it before forms.Form or forms.ModelForm."""

    # The spam traps judge what robots put there themselves.
    not_plain_text = (HONEYPOT_FIELD, RENDERED_FIELD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or name in self.not_plain_text:
                continue
            if isinstance(field.widget, forms.Textarea):
                field.to_python = _dropping_controls(field.to_python)
            else:
                # Ours refuses NUL too, with the one message for every control.
                field.validators[:] = [
                    validate_one_line,
                    *(
                        validator
                        for validator in field.validators
                        if not isinstance(validator, ProhibitNullCharactersValidator)
                    ),
                ]


def _dropping_controls(to_python):
    def clean(value):
        return without_controls(to_python(value))

    return clean
