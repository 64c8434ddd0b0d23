"""Personal data under 152-FZ: a person's access to it and its erasure."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from qualityweek import clock

from ..models import Registration, new_ticket_code, new_token
from .seats import PERSON_FIELDS, _lock_event, cancel

logger = logging.getLogger(__name__)

# What erasure blanks: the person's fields, but the region, which counts keep.
PERSONAL_FIELDS = [name for name in PERSON_FIELDS if name != "region"]


def export_personal_data(email: str) -> dict:
    """All that is stored about the person with this e-mail, for an access request."""
    registrations = (
        Registration.objects.filter(email__iexact=email.strip(), erased_at__isnull=True)
        .select_related("event", "region", "consent_text")
        .order_by("created_at", "pk")
    )
    return {
        "email": email.strip(),
        "exported_at": _moment(clock.now()),
        "registrations": [_personal_record(r) for r in registrations],
    }


def _moment(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _personal_record(registration: Registration) -> dict:
    consent = registration.consent_text
    record = {
        "event": registration.event.title,
        "event_start": _moment(registration.event.start),
        "status": registration.status,
        "ticket_code": registration.ticket_code,
    }
    record.update({field: getattr(registration, field) for field in PERSONAL_FIELDS})
    record.update(
        {
            "region": registration.region.name if registration.region else None,
            "language": registration.language,
            "consent_text_version": consent.version if consent else None,
            "consent_text": consent.text if consent else None,
            "consent_given_at": _moment(registration.consent_given_at),
            "created_at": _moment(registration.created_at),
            "confirmed_at": _moment(registration.confirmed_at),
            "waiting_since": _moment(registration.waiting_since),
            "cancelled_at": _moment(registration.cancelled_at),
            "checked_in_at": _moment(registration.checked_in_at),
            "reminder_sent_at": _moment(registration.reminder_sent_at),
        }
    )
    return record


@transaction.atomic
def erase_personal_data(registration: Registration) -> Registration:
    """Blank a registration's personal data for good, keeping it as a count."""
    # Kept: event, status, region, language, consent version and the timestamps, so
    # that seat, waiting and check-in counts stay right. A seat or place in line for
    # an event still to come is given up first, so the next in line gets it; a
    # pending sign-up is closed, as its confirmation could reach nobody now. The token,
    # confirmation key and ticket code are replaced, so that the old page link, the
    # confirmation link and the ticket open nothing.
    event = _lock_event(registration.event_id)
    registration.refresh_from_db()
    if registration.erased_at:
        return registration
    if event.start > clock.now() and not registration.checked_in_at:
        if registration.status in (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITING,
        ):
            cancel(registration)
            registration.refresh_from_db()
        elif registration.status == Registration.Status.PENDING:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = clock.now()
    for field in PERSONAL_FIELDS:
        setattr(registration, field, "")
    registration.token = new_token()
    registration.confirmation_key = new_token()
    registration.ticket_code = new_ticket_code()
    registration.pending_email = ""  # there is nobody left to write to
    registration.erased_at = clock.now()
    registration.save(
        update_fields=[
            *PERSONAL_FIELDS,
            "token",
            "confirmation_key",
            "ticket_code",
            "pending_email",
            "status",
            "cancelled_at",
            "erased_at",
            "updated_at",
        ]
    )
    logger.info("Registration %s: personal data erased", registration.pk)
    return registration


def erase_person(email: str) -> int:
    """Erase every registration of the person with this e-mail; return how many."""
    registrations = Registration.objects.filter(
        email__iexact=email.strip(), erased_at__isnull=True
    ).order_by("pk")
    # One transaction per registration: each locks only its own event.
    erased = [erase_personal_data(registration) for registration in registrations]
    return len(erased)


def purge_personal_data(*, older_than_days: int) -> int:
    """Erase all personal data of the events that ended over so many days ago."""
    cutoff = clock.now() - datetime.timedelta(days=older_than_days)
    registrations = Registration.objects.filter(
        event__end__lte=cutoff, erased_at__isnull=True
    ).order_by("event_id", "pk")
    erased = [erase_personal_data(registration) for registration in registrations]
    return len(erased)
