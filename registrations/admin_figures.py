"""What the event admin shows of an event's registrations beside its seats (the
programme's `events.admin_figures` hook): the waiting list, those taking part
online and check-ins."""

from django.db.models import Count, Q
from django.utils.translation import ngettext, pgettext_lazy

from events.admin_figures import Figure

from .models import Registration


def waiting():
    return Count(
        "registrations",
        filter=Q(registrations__status=Registration.Status.WAITING),
    )


def online():
    return Count(
        "registrations",
        filter=Q(registrations__status=Registration.Status.ONLINE),
    )


def checked_in():
    return Count("registrations", filter=Q(registrations__checked_in_at__isnull=False))


def waiting_words(count: int) -> str:
    return ngettext("%(count)d waiting", "%(count)d waiting", count) % {"count": count}


def online_words(count: int) -> str:
    return ngettext("%(count)d online", "%(count)d online", count) % {"count": count}


FIGURES = [
    Figure(
        "waiting_figure",
        pgettext_lazy("people", "waiting"),
        waiting,
        in_list=waiting_words,
    ),
    Figure(
        "online_figure",
        pgettext_lazy("people", "online"),
        online,
        in_list=online_words,
    ),
    Figure("checked_in_figure", pgettext_lazy("people", "checked in"), checked_in),
]
