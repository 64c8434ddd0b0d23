"""The activations' part of a region's results (events.participation)."""

from django.db.models import Count
from django.utils.translation import gettext

from events import participation

from .models import Activation


def region_results(region, edition) -> list[participation.Result]:
    """The region's approved activations: all, then each kind held."""
    rows = Activation.objects.approved().of_edition(edition).filter(region=region)
    by_kind = {
        row["kind"]: row["count"]
        for row in rows.values("kind").annotate(count=Count("pk")).order_by()
    }
    return [
        participation.Result(gettext("Activations, all kinds"), sum(by_kind.values())),
        *(
            participation.Result(label, by_kind[kind])
            for kind, label in Activation.Kind.choices
            if by_kind.get(kind)
        ),
    ]
