"""Small pieces every public form uses."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.models import ModelChoiceIterator
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


# The choice after the regions for someone who lives outside Russia.
ABROAD = "abroad"


class RegionChoiceIterator(ModelChoiceIterator):
    """The field's regions in the visitor's alphabet, read in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for region in self.field.offered.alphabetical():
            yield self.choice(region)
        if self.field.abroad_label:
            yield (ABROAD, self.field.abroad_label)

    def __len__(self):
        return len(list(iter(self)))

    def __bool__(self):
        return True


class RegionChoiceField(forms.ModelChoiceField):
    """A subject of the Federation by its code, listed in the visitor's alphabet.

    `offered` is what the list shows (every region unless given); any region's
    code is accepted, so that a link to a region with nothing in it yet still works.
    With `abroad_label` the list ends with that choice, which cleans to None.
    """

    iterator = RegionChoiceIterator

    def __init__(self, *, offered=None, abroad_label=None, **kwargs):
        from events.models import Region

        kwargs.setdefault("to_field_name", "code")
        super().__init__(Region.objects.all(), **kwargs)
        self.offered = Region.objects.all() if offered is None else offered
        self.abroad_label = abroad_label

    def clean(self, value):
        # A person from abroad answers with the last choice, not with nothing:
        # the field stays required, and the answer is "no region of Russia".
        if self.abroad_label and value == ABROAD:
            return None
        return super().clean(value)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.offered = self.offered.all()
        return result
