"""A certificate of participation for the company of each approved activation,
issued the day after its last day (events.certificates)."""

import datetime

from django.utils import timezone

from events import certificates
from events.models import Certificate
from qualityweek.scheduler import Job

from . import emails
from .models import Activation

LABEL = "activations"


def due(now: datetime.datetime):
    today = timezone.localtime(now).date()
    return Activation.objects.approved().filter(last_day__lt=today)


SOURCE = certificates.Source(
    label=LABEL,
    kind=Certificate.Kind.PARTICIPATION,
    model=Activation,
    due=due,
    holder=lambda activation: activation.company_name,
    subject=lambda activation: activation.title,
    email=lambda activation: activation.email,
    page_url=emails.edit_url,
)

JOB = Job(
    "issue_certificates_activations",
    "events.tasks.issue_certificates",
    {"source": LABEL},
    at=datetime.time(10, 20),
)
