"""A certificate of attendance for each participant checked in at an event,
issued the day after it ends (events.certificates)."""

import datetime

from events import certificates
from events.models import Certificate
from qualityweek.scheduler import Job

from . import links
from .models import Registration

LABEL = "registrations"

SOURCE = certificates.Source(
    label=LABEL,
    kind=Certificate.Kind.ATTENDANCE,
    model=Registration,
    due=lambda now: Registration.objects.filter(
        checked_in_at__isnull=False, erased_at__isnull=True, event__end__lt=now
    ).select_related("event"),
    holder=lambda registration: registration.full_name,
    subject=lambda registration: registration.event.title_i18n,
    email=lambda registration: registration.email,
    page_url=links.status_url,
    is_person=True,
)

JOB = Job(
    "issue_certificates_registrations",
    "events.tasks.issue_certificates",
    {"source": LABEL},
    at=datetime.time(10, 0),
)
