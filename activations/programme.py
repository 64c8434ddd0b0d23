"""Approved activations in the programme: the schedule, the feeds, the search
and the sitemap list them beside the events (see `events.entries`)."""

import datetime

from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from events import entries, ics
from events.models import Edition

from .models import Activation
from .search import activation_texts, filtered

# The kind that activations take in the programme's filters and calendars.
PROGRAMME_KIND = "activation"
PROGRAMME_KIND_LABEL = pgettext_lazy("programme kind", "Company activation")


def midnight(day: datetime.date) -> datetime.datetime:
    """The day's first moment, Moscow time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class ActivationSource(entries.Source):
    label = "activations"
    model = Activation

    def kinds(self) -> list[tuple[str, str]]:
        return [(PROGRAMME_KIND, PROGRAMME_KIND_LABEL)]

    def filtered(self, edition: Edition, filters: dict) -> list[Activation]:
        # One kind in the programme; the list of activations has its own kinds.
        return filtered(edition, {**filters, "kind": None, "q": None})

    def entry(self, activation: Activation) -> entries.Entry:
        """The activation as the programme states it: whole days, from midnight
        of the first to midnight after the last, Moscow time."""
        kind_label = str(PROGRAMME_KIND_LABEL)
        format_label = activation.get_format_display()
        return entries.Entry(
            source=self.label,
            uid=ics.event_uid(activation),
            title=activation.title,  # businesses write in one language
            url=activation.get_absolute_url(),
            start=midnight(activation.first_day),
            end=midnight(activation.last_day + datetime.timedelta(days=1)),
            whole_day=True,
            kind=PROGRAMME_KIND,
            kind_label=kind_label,
            format=activation.format,
            format_label=format_label,
            place=place(activation),
            region=activation.region,
            summary=activation.company_name,
            description=activation.description,
            stream_url=activation.online_url,
            categories=(kind_label, str(activation.get_kind_display()), format_label),
            sequence=activation.sequence,
            created=activation.created_at,
            updated=activation.updated_at,
            row_template="activations/includes/programme_row.html",
            object=activation,
        )

    def chosen(self, edition: Edition, pks) -> list[Activation]:
        # The edition's approved activations are many: the database picks these.
        return list(
            Activation.objects.approved()
            .of_edition(edition)
            .for_listing()
            .filter(pk__in=set(pks))
        )

    def texts(self, activation: Activation) -> tuple:
        return activation_texts(activation)

    def spans(self, edition: Edition):
        return (
            Activation.objects.approved()
            .of_edition(edition)
            .values_list("first_day", "last_day")
        )

    def sitemap_items(self):
        return Activation.objects.approved().order_by("pk")


def place(activation: Activation) -> str:
    """The address and the town; "Online" for an activation that has no address."""
    if activation.address:
        return ", ".join(part for part in (activation.address, activation.city) if part)
    return pgettext("event format", "Online")
