"""Lists that visitors filter through the query string (the programme, activations)."""

import datetime

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


def day_field() -> forms.TypedChoiceField:
    """A day of the week as `YYYY-MM-DD`; its choices come from `day_choices()`."""
    return forms.TypedChoiceField(
        label=_("Day"),
        required=False,
        coerce=datetime.date.fromisoformat,
        empty_value=None,
    )


def day_choices(days, *, empty_label) -> list[tuple[str, str]]:
    return [("", empty_label)] + [
        (day.isoformat(), formats.date_format(day, "l, j E")) for day in days
    ]


def search_field(placeholder) -> forms.CharField:
    return forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


class FilterForm(forms.Form):
    """Filters read from the query string, given back for links by `active_filters`."""

    def active_filters(self) -> dict:
        """The valid, non-empty filters, as they go back into links."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        active = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, models.Model):
                value = getattr(value, self.fields[name].to_field_name or "pk")
            active[name] = value
        return active
