"""Form fields of the programme's own things, which every public form uses."""

from django import forms
from django.forms.models import ModelChoiceIterator

from .models import Region

# The choice after the regions for someone who lives outside Russia.
ABROAD = "abroad"


def alphabetical(regions) -> list[Region]:
    """Regions (a queryset, read in one query, or regions already read) in the
    visitor's alphabet."""
    if hasattr(regions, "alphabetical"):
        return regions.alphabetical()
    return sorted(regions, key=Region.sort_key)


class RegionChoiceIterator(ModelChoiceIterator):
    """The field's regions in the visitor's alphabet, read in one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for region in alphabetical(self.field.offered):
            yield self.choice(region)
        if self.field.abroad_label:
            yield (ABROAD, self.field.abroad_label)

    def __len__(self):
        return len(list(iter(self)))

    def __bool__(self):
        return True


class RegionChoiceField(forms.ModelChoiceField):
    """A subject of the Federation by its code, listed in the visitor's alphabet.

    `offered` is what the list shows (every region unless given): a queryset, or
    a list of regions already read, for forms of one page to share; any region's
    code is accepted, so that a link to a region with nothing in it yet still works.
    With `abroad_label` the list ends with that choice, which cleans to None.
    """

    iterator = RegionChoiceIterator

    def __init__(self, *, offered=None, abroad_label=None, **kwargs):
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
        # A queryset is copied, to be read afresh; regions already read are shared.
        if hasattr(self.offered, "all"):
            result.offered = self.offered.all()
        return result
