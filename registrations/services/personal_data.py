"""Personal data under 152-FZ in registrations: what the site-wide registry
(qualityweek.personal_data) finds, exports and erases."""

import datetime
import logging

from django.db import transaction

from qualityweek import clock, personal_data

from ..models import Registration, new_ticket_code, new_token
from .seats import PERSON_FIELDS, _lock_event, cancel

logger = logging.getLogger(__name__)

# What erasure blanks: the person's fields, but the region, which counts keep.
PERSONAL_FIELDS = [name for name in PERSON_FIELDS if name != "region"]


def registrations_of(email: str):
    """The person's registrations that still hold their data, oldest first."""
    return (
        Registration.objects.filter(email__iexact=email.strip(), erased_at__isnull=True)
        .select_related("event", "region", "consent_text")
        .order_by("created_at", "pk")
    )


def due_for_purge(cutoff: datetime.datetime):
    """Registrations of the events that ended before the cutoff."""
    return Registration.objects.filter(event__end__lte=cutoff, erased_at__isnull=True)


def personal_record(registration: Registration) -> dict:
    """One registration as the person may read it."""
    moment = personal_data.moment
    record = {
        "event": registration.event.title,
        "event_start": moment(registration.event.start),
        "status": registration.status,
        "ticket_code": registration.ticket_code,
    }
    record.update({field: getattr(registration, field) for field in PERSONAL_FIELDS})
    record.update(
        {
            "region": registration.region.name if registration.region else None,
            "language": registration.language,
            **personal_data.consent_record(registration.consent_text),
            "consent_given_at": moment(registration.consent_given_at),
            "created_at": moment(registration.created_at),
            "confirmed_at": moment(registration.confirmed_at),
            "waiting_since": moment(registration.waiting_since),
            "cancelled_at": moment(registration.cancelled_at),
            "checked_in_at": moment(registration.checked_in_at),
            "reminder_sent_at": moment(registration.reminder_sent_at),
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
    registration.erased_at = clock.now()
    registration.save(
        update_fields=[
            *PERSONAL_FIELDS,
            "token",
            "confirmation_key",
            "ticket_code",
            "status",
            "cancelled_at",
            "erased_at",
            "updated_at",
        ]
    )
    logger.info("Registration %s: personal data erased", registration.pk)
    return registration
