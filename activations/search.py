"""The public list's filters: region, kind, day and text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.fields import RegionChoiceField
from events.models import Region
from events.search import ranked
from qualityweek import filters

from .models import Activation


class ActivationFilterForm(filters.FilterForm):
    q = filters.search_field(_("Company, title, city…"))
    region = RegionChoiceField(
        label=_("Region"), required=False, empty_label=_("All regions")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    day = filters.day_field()

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].offered = Region.objects.filter(
            activations__in=Activation.objects.approved().of_edition(edition)
        ).distinct()
        self.fields["kind"].choices = [("", _("All kinds")), *Activation.Kind.choices]
        self.fields["day"].choices = filters.day_choices(
            edition.days(), empty_label=_("All days")
        )


def activation_texts(activation: Activation) -> tuple:
    """Its (title, text, context) for `events.search.ranked`: the company's name
    weighs as an event's organisers do."""
    return (
        [activation.title],
        [activation.description],
        [
            activation.company_name,
            activation.city,
            activation.address,
            activation.region.name,
            activation.region.name_en,
        ],
    )


def filtered(edition, filters: dict) -> list:
    """Approved activations of the edition that pass every filter, by date."""
    activations = Activation.objects.approved().of_edition(edition).for_listing()
    if filters.get("day"):
        activations = activations.during_day(filters["day"])
    if filters.get("kind"):
        activations = activations.of_kind(filters["kind"])
    if filters.get("format"):
        activations = activations.in_format(filters["format"])
    if filters.get("region"):
        activations = activations.in_region(filters["region"])
    activations = list(activations)
    if filters.get("q"):
        activations = ranked(activations, filters["q"], activation_texts)
    return activations
