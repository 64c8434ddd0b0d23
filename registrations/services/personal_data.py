"""Personal data under 152-FZ in registrations: what the site-wide registry
(qualityweek.personal_data) finds, exports and erases."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from events import certificates, respondents
from qualityweek import clock, personal_data

from ..links import CONFIRMATION_MAX_AGE
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
        "mode": registration.mode,
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
            "certificates": certificates.personal_records(
                "registrations", registration.pk
            ),
        }
    )
    return record


@transaction.atomic
def erase_personal_data(
    registration: Registration, *, keep_page: bool = False
) -> Registration:
    """Blank a registration's personal data for good, keeping it as a count."""
    # Kept: event, status, region, language, consent version and the timestamps, so
    # that seat, waiting and check-in counts stay right. A seat or place in line for
    # an event still to come is given up first, so the next in line gets it; a
    # pending sign-up is closed, as its confirmation could reach nobody now. The
    # confirmation key and ticket code are replaced, so that the confirmation link
    # and the ticket open nothing; the token too, so that the old page link opens
    # nothing, unless `keep_page`: a person who cancelled still reads there that
    # they did (the page shows no personal data).
    event = _lock_event(registration.event_id)
    _lock_row(registration)
    if registration.erased_at:
        return registration
    if event.start > clock.now() and not registration.checked_in_at:
        if registration.status in (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITING,
            Registration.Status.ONLINE,
        ):
            cancel(registration)
            registration.refresh_from_db()
        elif registration.status == Registration.Status.PENDING:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = clock.now()
    for field in PERSONAL_FIELDS:
        setattr(registration, field, "")
    certificates.erase("registrations", registration.pk)  # the name they print
    if not keep_page:
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
    # The survey's invitation no longer names the person; the answers stay, nobody's.
    respondents.forget("registrations", registration.pk)
    logger.info("Registration %s: personal data erased", registration.pk)
    return registration


def erase_cancelled(registration: Registration) -> Registration:
    """Erase a cancelled registration's personal data once its last letter has
    gone; a registration signed up again meanwhile is left alone."""
    with transaction.atomic():
        _lock_event(registration.event_id)
        _lock_row(registration)
        if (
            registration.status != Registration.Status.CANCELLED
            or registration.erased_at
        ):
            return registration
        return erase_personal_data(registration, keep_page=True)


def _lock_row(registration: Registration) -> None:
    # The caller holds the event's lock. A sign-up again with the same address
    # (register) locks the row, not the event: it waits here, and the row is read
    # afresh under the lock.
    list(Registration.objects.select_for_update().filter(pk=registration.pk))
    registration.refresh_from_db()


# Real time, as `updated_at` is (auto_now): a rehearsal's clock moved on must not
# delete a sign-up whose link still works. A link is signed when its letter is
# sent, and a letter the mail server holds back is retried for about a day
# (qualityweek.tasks.RETRY_DELAYS): the margin lets its link run out first.
LETTER_DELAY_MARGIN = datetime.timedelta(days=1)


def expire_pending_sign_ups() -> int:
    """Delete the sign-ups never confirmed while their link worked; how many."""
    cutoff = timezone.now() - CONFIRMATION_MAX_AGE - LETTER_DELAY_MARGIN
    expired = 0
    stale = Registration.objects.pending().filter(updated_at__lt=cutoff)
    for registration in stale.order_by("pk"):
        with transaction.atomic():
            # Under the event's lock, as confirm() reads the row under it.
            _lock_event(registration.event_id)
            deleted, _ = (
                Registration.objects.pending()
                .filter(pk=registration.pk, updated_at__lt=cutoff)
                .delete()
            )
        expired += deleted
    if expired:
        logger.info("Retention: %s unconfirmed sign-up(s) deleted", expired)
    return expired


def erase_cancelled_left_over() -> int:
    """Erase the cancelled registrations whose farewell letter never finished
    (a lost worker, or cancelled before cancelling erased); how many."""
    cutoff = timezone.now() - LETTER_DELAY_MARGIN * 2
    left_over = Registration.objects.filter(
        status=Registration.Status.CANCELLED,
        erased_at__isnull=True,
        updated_at__lt=cutoff,
    )
    erased = 0
    for registration in left_over.order_by("pk"):
        erased += bool(erase_cancelled(registration).erased_at)
    if erased:
        logger.info("Retention: %s cancelled registration(s) erased", erased)
    return erased
