"""A certificate of participation for each approved venue, issued once the
edition's week is over (events.certificates)."""

import datetime

from django.utils import timezone

from events import certificates
from events.models import Certificate
from qualityweek.scheduler import Job

from . import emails
from .models import VenueApplication

LABEL = "venues"


def due(now: datetime.datetime):
    today = timezone.localtime(now).date()
    return (
        VenueApplication.objects.approved()
        .filter(edition__last_day__lt=today)
        .select_related("edition")
    )


SOURCE = certificates.Source(
    label=LABEL,
    kind=Certificate.Kind.PARTICIPATION,
    model=VenueApplication,
    due=due,
    holder=lambda application: application.organising_body or application.venue_name,
    subject=lambda application: f"{application.venue_name}, {application.city}",
    email=lambda application: application.email,
    page_url=emails.page_url,
)

JOB = Job(
    "issue_certificates_venues",
    "events.tasks.issue_certificates",
    {"source": LABEL},
    at=datetime.time(10, 10),
)
