"""Sign-up, confirmation, cancellation and the waiting list of registrations.

Every change to an event's seats runs in one transaction that first locks the
event row; e-mails go out only after the transaction commits.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext

from events.models import Event
from qualityweek import clock

from . import emails
from .models import ConsentText, Registration, new_ticket_code, new_token

logger = logging.getLogger(__name__)


# Test-only hook: tests/registrations/test_concurrency.py switches it off to prove
# that the concurrency test catches a race. Off, the event row is read without a
# lock and the seat counter is written from that read, so nothing stops overselling
# on PostgreSQL. (On SQLite every write transaction begins IMMEDIATE, which takes
# the database's one write lock; no code here can switch that off.)
_LOCK_EVENTS = True


class RegistrationError(Exception):
    """A refusal whose (translated) message is safe to show to the visitor."""


class Availability:
    """Where an event's registration stands at a moment."""

    UNAVAILABLE = "unavailable"  # the event takes no registrations
    NOT_OPEN_YET = "not_open_yet"
    OPEN = "open"
    FULL = "full"  # all seats taken: new sign-ups join the waiting list
    SOLD_OUT = "sold_out"  # all seats taken and no waiting list
    CLOSED = "closed"  # the window has closed, or the event has started
    OVER = "over"
    CANCELLED = "cancelled"

    # Sign-ups are taken in these states; confirmations too.
    TAKING = (OPEN, FULL)


def availability(event: Event) -> str:
    """Whether and how the event takes registrations now, by the site clock."""
    now = clock.now()
    if not event.takes_registrations:
        return Availability.UNAVAILABLE
    if event.is_cancelled:
        return Availability.CANCELLED
    if event.end <= now:
        return Availability.OVER
    closes = min(event.registration_closes or event.start, event.start)
    if closes <= now:
        return Availability.CLOSED
    if event.registration_opens and now < event.registration_opens:
        return Availability.NOT_OPEN_YET
    if consent_text_for(event) is None:
        return Availability.UNAVAILABLE  # no consent, no personal data
    if event.seats_taken < event.seats:
        return Availability.OPEN
    if event.keeps_waiting_list:
        return Availability.FULL
    return Availability.SOLD_OUT


def consent_text_for(event: Event) -> ConsentText | None:
    """The consent version in force for the event: its own, else the latest."""
    if event.consent_text_id:
        return event.consent_text
    return ConsentText.objects.first()


def can_cancel(registration: Registration) -> bool:
    """Whether the person may still give up their seat or place themselves."""
    return (
        registration.status != Registration.Status.CANCELLED
        and not registration.checked_in_at
        and not registration.event.has_ended()
    )


def seats_left(event: Event) -> int:
    return max(event.seats - event.seats_taken, 0)


def refusal(event: Event, state: str) -> str:
    """Why the event takes no registration now, in the visitor's language."""
    if state == Availability.NOT_OPEN_YET:
        opens = timezone.localtime(event.registration_opens)
        return gettext("Registration opens on %(date)s at %(time)s, Moscow time.") % {
            "date": formats.date_format(opens, "j E Y"),
            "time": formats.time_format(opens, "H:i"),
        }
    if state == Availability.SOLD_OUT:
        return gettext("Sorry, all seats are taken.")
    if state == Availability.CLOSED:
        return gettext("Registration for this event has closed.")
    if state == Availability.OVER:
        return gettext("This event is over.")
    if state == Availability.CANCELLED:
        return gettext("This event is cancelled.")
    return gettext("This event takes no registrations on the site.")


def _check_taking(event: Event) -> None:
    state = availability(event)
    if state not in Availability.TAKING:
        raise RegistrationError(refusal(event, state))


def _lock_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends: seat changes queue here."""
    if not _LOCK_EVENTS:
        return Event.objects.get(pk=event_id)
    if connection.vendor == "postgresql":
        # A lock not had in time raises OperationalError: the view answers "try
        # again" (503) instead of keeping the visitor waiting.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{settings.QUALITYWEEK_SEAT_LOCK_TIMEOUT * 1000:.0f}ms"],
            )
    return Event.objects.select_for_update().get(pk=event_id)


def _take_seat(event: Event) -> None:
    if _LOCK_EVENTS:
        # Under the lock F() and the read value agree; F() lets the database's
        # seats_taken <= seats constraint refuse, were two ever to get through.
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + 1)
    else:
        Event.objects.filter(pk=event.pk).update(seats_taken=event.seats_taken + 1)
    event.seats_taken += 1


def _free_seat(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)
    event.seats_taken -= 1


def _send_on_commit(registration: Registration, mail: str) -> None:
    pk = registration.pk
    transaction.on_commit(lambda: emails.send(pk, mail))


PERSON_FIELDS = [
    "surname",
    "name",
    "patronymic",
    "email",
    "phone",
    "organisation",
    "position",
    "region",
]


def register(event: Event, data: dict, *, language: str) -> Registration:
    """Record a sign-up awaiting e-mail confirmation; holds no seat."""
    _check_taking(event)
    consent_text = consent_text_for(event)
    if not data.get("consent"):
        raise RegistrationError(
            gettext("Please agree to the processing of your personal data.")
        )
    person = {field: data.get(field) or "" for field in PERSON_FIELDS}
    person["region"] = data.get("region")
    person["email"] = person["email"].strip().lower()
    consent = {"consent_text": consent_text, "consent_given_at": clock.now()}
    with transaction.atomic():
        existing = (
            Registration.objects.select_for_update()
            .filter(event=event, email=person["email"], erased_at__isnull=True)
            .first()
        )
        if existing is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        event=event, language=language, **person, **consent
                    )
            except IntegrityError:
                # The same address sent the form twice at once: the other won.
                existing = Registration.objects.get(
                    event=event, email=person["email"], erased_at__isnull=True
                )
            else:
                logger.info("Registration %s: signed up", registration.pk)
                _send_on_commit(registration, Registration.Mail.CONFIRM_ADDRESS)
                return registration
        if existing.status == Registration.Status.CANCELLED:
            # Signing up again after cancelling starts afresh, with the new answers.
            for field, value in {**person, **consent}.items():
                setattr(existing, field, value)
            existing.language = language
            existing.status = Registration.Status.PENDING
            existing.confirmed_at = existing.waiting_since = None
            existing.cancelled_at = existing.reminder_sent_at = None
            existing.save()
            logger.info("Registration %s: signed up again", existing.pk)
            _send_on_commit(existing, Registration.Mail.CONFIRM_ADDRESS)
        else:
            # Nobody learns from the page who is registered: the answer is the
            # same, and the person gets their own link by e-mail.
            logger.info("Registration %s: signed up twice", existing.pk)
            _send_on_commit(existing, Registration.Mail.ALREADY_REGISTERED)
        return existing


def confirm(registration: Registration) -> Registration:
    """Give a pending registration a seat, or a place on the waiting list."""
    with transaction.atomic():
        # All seat changes of this event queue on this lock (PostgreSQL row lock;
        # SQLite ignores FOR UPDATE, so settings make every transaction BEGIN
        # IMMEDIATE).
        event = _lock_event(registration.event_id)
        registration.refresh_from_db()
        if registration.status != Registration.Status.PENDING:
            return registration  # a second click on the link changes nothing
        _check_taking(event)
        now = clock.now()
        registration.confirmed_at = now
        if event.seats_taken < event.seats:
            _take_seat(event)
            registration.status = Registration.Status.CONFIRMED
            mail = Registration.Mail.SEAT
        elif event.keeps_waiting_list:
            registration.status = Registration.Status.WAITING
            registration.waiting_since = now
            mail = Registration.Mail.WAITING
        else:
            raise RegistrationError(gettext("Sorry, all seats are taken."))
        registration.save(
            update_fields=["status", "confirmed_at", "waiting_since", "updated_at"]
        )
        logger.info("Registration %s: %s", registration.pk, registration.status)
        _send_on_commit(registration, mail)
    return registration


def cancel(registration: Registration) -> Registration:
    """Free the person's seat (or place in line) and promote the next in line."""
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration.refresh_from_db()
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if registration.checked_in_at:
            raise RegistrationError(
                gettext("You have already been checked in at the event.")
            )
        if event.has_ended():
            raise RegistrationError(gettext("This event is over."))
        had_seat = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = clock.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        logger.info("Registration %s: cancelled", registration.pk)
        _send_on_commit(registration, Registration.Mail.CANCELLED)
        if had_seat:
            _free_seat(event)
            _promote(event)
    return registration


def promote_from_waiting_list(event: Event) -> Registration | None:
    """Give a free seat to the first person on the waiting list, if any."""
    with transaction.atomic():
        return _promote(_lock_event(event.pk))


def _promote(event: Event) -> Registration | None:
    # The caller holds the event's lock.
    if event.seats_taken >= event.seats or event.start <= clock.now():
        return None
    first = event.registrations.waiting().first()
    if first is None:
        return None
    _take_seat(event)
    first.status = Registration.Status.CONFIRMED
    first.save(update_fields=["status", "updated_at"])
    logger.info("Registration %s: promoted from the waiting list", first.pk)
    _send_on_commit(first, Registration.Mail.PROMOTED)
    return first


STATUS_MAIL = {
    Registration.Status.PENDING: Registration.Mail.CONFIRM_ADDRESS,
    Registration.Status.CONFIRMED: Registration.Mail.SEAT,
    Registration.Status.WAITING: Registration.Mail.WAITING,
    Registration.Status.CANCELLED: Registration.Mail.CANCELLED,
}


def resend_email(registration: Registration) -> None:
    """Send the person the e-mail that fits their registration's status again."""
    registration.refresh_from_db()
    if registration.erased_at:
        raise RegistrationError(gettext("This registration's personal data is erased."))
    if not emails.send(registration.pk, STATUS_MAIL[registration.status]):
        raise RegistrationError(
            gettext("The mail server did not take the e-mail; it will be retried.")
        )


def send_reminder(registration: Registration) -> bool:
    """Remind a confirmed participant of the event once; False if already done."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if (
            registration.status != Registration.Status.CONFIRMED
            or registration.reminder_sent_at
            or registration.erased_at
        ):
            return False
        registration.reminder_sent_at = clock.now()
        registration.save(update_fields=["reminder_sent_at", "updated_at"])
        _send_on_commit(registration, Registration.Mail.REMINDER)
    return True


def send_reminders(*, days: int) -> int:
    """Remind everyone with a seat at an event on one of the next so many days."""
    last_day = clock.today() + datetime.timedelta(days=days)
    due = Registration.objects.confirmed().filter(
        reminder_sent_at__isnull=True,
        erased_at__isnull=True,
        event__is_cancelled=False,
        event__start__gt=clock.now(),
        event__start__date__lte=last_day,  # Moscow dates, whenever cron runs
    )
    return sum(send_reminder(registration) for registration in due.order_by("pk"))


def send_pending_emails() -> int:
    """Send again every e-mail the mail server refused; return how many went out."""
    pending = Registration.objects.exclude(pending_email="").filter(
        erased_at__isnull=True
    )
    return sum(
        emails.send(registration.pk, registration.pending_email)
        for registration in pending.order_by("email_failed_at", "pk")
    )


# The organisers' side: check-in at the door and personal data on request (152-FZ).

PERSONAL_FIELDS = [
    "surname",
    "name",
    "patronymic",
    "email",
    "phone",
    "organisation",
    "position",
]


@transaction.atomic
def check_in(
    registration: Registration, *, by: AbstractBaseUser | None = None
) -> Registration:
    """Let a confirmed participant in at the door, once per ticket."""
    # The same lock as every status change, so a ticket cancelled this very moment
    # is not let in.
    _lock_event(registration.event_id)
    registration.refresh_from_db()
    if registration.erased_at:
        raise RegistrationError(gettext("This registration's personal data is erased."))
    if registration.checked_in_at:
        first = timezone.localtime(registration.checked_in_at)
        raise RegistrationError(
            gettext("Already checked in at %(time)s, %(date)s.")
            % {
                "time": formats.time_format(first, "H:i"),
                "date": formats.date_format(first, "j E"),
            }
        )
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_check_in_refusal(registration.status))
    registration.checked_in_at = clock.now()
    registration.save(update_fields=["checked_in_at", "updated_at"])
    logger.info(
        "Registration %s checked in by user %s",
        registration.pk,
        getattr(by, "pk", None),
    )
    return registration


def _check_in_refusal(status: str) -> str:
    if status == Registration.Status.CANCELLED:
        return gettext("This registration is cancelled: the ticket is not valid.")
    if status == Registration.Status.WAITING:
        return gettext("This person is on the waiting list and has no seat.")
    return gettext("This registration is not confirmed by e-mail: it has no seat.")


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
