"""Registrations' figures for /metrics (qualityweek.metrics), read at each scrape."""

import datetime

from django.db.models import Count, Q

from events.models import Event
from qualityweek import clock, metrics

from . import services
from .models import Registration

MINUTE = datetime.timedelta(minutes=1)


def collect():
    """Seats left of each event taking sign-ups now, people by status per event
    (every event still to come that takes registrations), and the sign-ups and
    confirmations of the last minute, by the site clock that stamps them."""
    now = clock.now()
    events = list(
        Event.objects.filter(takes_registrations=True, end__gt=now).order_by("pk")
    )
    seats_left = metrics.gauge(
        "qualityweek_seats_left",
        "Seats still free of each event taking sign-ups now.",
        ["event"],
    )
    seats = metrics.gauge(
        "qualityweek_seats", "Seats of each event taking sign-ups now.", ["event"]
    )
    for event in events:
        state = services.availability(event)
        if state in services.Availability.TAKING:
            left = services.seats_left(event)
            seats_left.add_metric([event.slug], left)
            seats.add_metric([event.slug], event.seats)
    yield seats_left
    yield seats

    by_status = metrics.gauge(
        "qualityweek_registrations",
        "Registrations of each coming event that takes them, by status.",
        ["event", "status"],
    )
    slugs = {event.pk: event.slug for event in events}
    rows = (
        Registration.objects.filter(event__in=slugs)
        .values("event", "status")
        .annotate(count=Count("pk"))
        .order_by("event", "status")
    )
    for row in rows:
        by_status.add_metric([slugs[row["event"]], row["status"]], row["count"])
    yield by_status

    recent = Registration.objects.aggregate(
        signups=Count("pk", filter=Q(created_at__gt=now - MINUTE)),
        confirmations=Count("pk", filter=Q(confirmed_at__gt=now - MINUTE)),
    )
    for name, documentation in (
        ("signups", "Sign-ups (forms sent and stored) in the last 60 seconds."),
        ("confirmations", "Addresses confirmed in the last 60 seconds."),
    ):
        family = metrics.gauge(f"qualityweek_{name}_last_minute", documentation)
        family.add_metric([], recent[name])
        yield family
