"""Sign-up, confirmation, cancellation and the waiting list of registrations.

Every change to an event's seats runs in one transaction that first locks the
event row; e-mails go out only after the transaction commits.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext

from events.models import Event
from qualityweek import clock, spam
from qualityweek import mail as site_mail

from .. import tasks
from ..models import Registration, new_token
from .availability import (
    Availability,
    RegistrationError,
    availability_for,
    consent_text_for,
    refusal,
)

logger = logging.getLogger(__name__)


def _check_taking(event: Event, mode: str = Registration.Mode.IN_PERSON) -> None:
    state = availability_for(event, mode)
    if state not in Availability.TAKING:
        raise RegistrationError(refusal(event, state))


# What seat changes read of the locked event (availability() and the counts):
# the whole row, descriptions and all, would cost the rush's every request.
SEAT_FIELDS = (
    "start",
    "end",
    "seats",
    "seats_taken",
    "keeps_waiting_list",
    "takes_registrations",
    "is_cancelled",
    "registration_opens",
    "registration_closes",
    "consent_text",
    "format",  # whether it is streamed: sign-ups to take part online
)


def _lock_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends: seat changes queue here."""
    if connection.vendor == "postgresql":
        # A lock not had in time raises OperationalError: the view answers "try
        # again" (503) instead of keeping the visitor waiting.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                [f"{settings.QUALITYWEEK_SEAT_LOCK_TIMEOUT * 1000:.0f}ms"],
            )
    return Event.objects.select_for_update().only(*SEAT_FIELDS).get(pk=event_id)


def _take_seat(event: Event) -> None:
    # Under the lock F() and the read value agree; F() lets the database's
    # seats_taken <= seats constraint refuse, were two ever to get through.
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + 1)
    event.seats_taken += 1


def _free_seat(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)
    event.seats_taken -= 1


def _next_place_in_line(event: Event) -> int:
    # Under the event's lock, so numbers follow the lock's order across hosts:
    # waiting_since comes from each host's clock, and a slow one would put its
    # people ahead of those who came before them. Places stay numbered after
    # promotion, so no two rows ever hold one number.
    last = event.registrations.aggregate(last=Max("waiting_position"))["last"]
    return (last or 0) + 1


def _send_mail(registration: Registration, mail: str) -> None:
    # A task row in the caller's transaction: sent by a worker once it commits,
    # never for a change that rolls back, never lost once committed; the key
    # makes it one letter however often a worker runs the task.
    tasks.send_mail.enqueue(registration.pk, mail, letter=site_mail.new_key())


def _renew_link(registration: Registration) -> None:
    # The letter carries a fresh confirmation link: the unconfirmed sign-up lives
    # until that one expires (services.expire_pending_sign_ups counts from here).
    registration.save(update_fields=["updated_at"])


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


def register(
    event: Event,
    data: dict,
    *,
    language: str,
    mode: str = Registration.Mode.IN_PERSON,
) -> Registration:
    """Record a sign-up awaiting e-mail confirmation; holds no seat.

    The registration returned has `fresh` set when this call started it (a new
    sign-up, or one after cancelling): only then may the page that sent the form
    offer to correct its address (correct_email). One registration per address:
    a sign-up still awaiting confirmation takes the `mode` asked last (in person
    or online); a confirmed one keeps its own, and its owner gets their link.
    """
    _check_taking(event, mode)
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
                        event=event,
                        language=language,
                        mode=mode,
                        **person,
                        **consent,
                    )
            except IntegrityError:
                # The same address sent the form twice at once: the other won.
                existing = Registration.objects.get(
                    event=event, email=person["email"], erased_at__isnull=True
                )
            else:
                logger.info("Registration %s: signed up", registration.pk)
                _send_mail(registration, Registration.Mail.CONFIRM_ADDRESS)
                registration.fresh = True
                return registration
        if existing.status == Registration.Status.CANCELLED:
            # Signing up again after cancelling starts afresh, with the new answers.
            for field, value in {**person, **consent}.items():
                setattr(existing, field, value)
            existing.language = language
            existing.mode = mode
            existing.status = Registration.Status.PENDING
            existing.confirmed_at = existing.waiting_since = None
            existing.waiting_position = None
            existing.cancelled_at = existing.reminder_sent_at = None
            existing.save()
            logger.info("Registration %s: signed up again", existing.pk)
            _send_mail(existing, Registration.Mail.CONFIRM_ADDRESS)
            existing.fresh = True
            return existing
        if existing.status == Registration.Status.PENDING and existing.mode != mode:
            # Not confirmed yet: the form sent last says how they take part; the
            # link already sent confirms that. The page answers as ever.
            existing.mode = mode
            existing.save(update_fields=["mode", "updated_at"])
            logger.info("Registration %s: mode changed to %s", existing.pk, mode)
        if spam.first_in(
            f"registrations.already-registered:{existing.pk}",
            seconds=settings.QUALITYWEEK_ALREADY_REGISTERED_MAIL_MINUTES * 60,
        ):
            # Nobody learns from the page who is registered: the answer is the
            # same, and the person gets their own link by e-mail.
            logger.info("Registration %s: signed up twice", existing.pk)
            _send_mail(existing, Registration.Mail.ALREADY_REGISTERED)
            if existing.status == Registration.Status.PENDING:
                _renew_link(existing)
        else:
            # Whoever knows an address could flood it with these letters: one
            # went out a moment ago, the page answers the same, nothing more goes.
            logger.info("Registration %s: signed up twice, letter held", existing.pk)
        return existing


def correct_email(registration_pk: int, email: str) -> Registration:
    """Send the confirmation link of an unconfirmed sign-up to its corrected
    address, keeping every other answer; the link that went to the mistyped
    address stops working. Only the page that made the sign-up calls this.

    If the corrected address has a sign-up of its own for the event, the
    mistyped one is dropped and that person gets what signing up again gives.
    """
    email = email.strip().lower()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=registration_pk, erased_at__isnull=True)
            .select_related("event")
            .first()
        )
        if registration is None or registration.status != Registration.Status.PENDING:
            raise RegistrationError(
                gettext(
                    "This sign-up can no longer be corrected here: it has been "
                    "confirmed or has expired. Please fill in the form again."
                )
            )
        event = _lock_event(registration.event_id)
        _check_taking(event, registration.mode)
        if email == registration.email:
            _renew_link(registration)
            _send_mail(registration, Registration.Mail.CONFIRM_ADDRESS)
            return registration
        if (
            Registration.objects.filter(
                event=event, email=email, erased_at__isnull=True
            )
            .exclude(pk=registration.pk)
            .exists()
        ):
            answers = {field: getattr(registration, field) for field in PERSON_FIELDS}
            registration.delete()
            logger.info(
                "Registration %s: address corrected to a known one", registration_pk
            )
            return register(
                event,
                {**answers, "email": email, "consent": True},
                language=registration.language,
                mode=registration.mode,
            )
        registration.email = email
        registration.confirmation_key = new_token()
        # A refusal of the mistyped address says nothing about the new one.
        registration.email_failed_at = None
        registration.email_failed_letter = ""
        registration.save(
            update_fields=[
                "email",
                "confirmation_key",
                "email_failed_at",
                "email_failed_letter",
                "updated_at",
            ]
        )
        logger.info("Registration %s: address corrected", registration.pk)
        _send_mail(registration, Registration.Mail.CONFIRM_ADDRESS)
        return registration


def confirm(registration: Registration) -> Registration:
    """Give a pending registration a seat, or a place on the waiting list; one
    to take part online gets neither, and no seat is counted."""
    with transaction.atomic():
        # All seat changes of this event queue on this lock (PostgreSQL row lock;
        # SQLite ignores FOR UPDATE, so settings make every transaction BEGIN
        # IMMEDIATE).
        event = _lock_event(registration.event_id)
        now = clock.now()
        changes = {"confirmed_at": now, "updated_at": timezone.now()}
        online = registration.mode == Registration.Mode.ONLINE
        try:
            _check_taking(event, registration.mode)
            if online:
                # No seat: the hall's count and its waiting list stay as they are.
                changes["status"] = Registration.Status.ONLINE
                mail = Registration.Mail.ONLINE
            elif event.seats_taken < event.seats:
                changes["status"] = Registration.Status.CONFIRMED
                mail = Registration.Mail.SEAT
            elif event.keeps_waiting_list:
                changes.update(
                    status=Registration.Status.WAITING,
                    waiting_since=now,
                    waiting_position=_next_place_in_line(event),
                )
                mail = Registration.Mail.WAITING
            else:
                raise RegistrationError(gettext("Sorry, all seats are taken."))
        except RegistrationError:
            registration.refresh_from_db()
            if registration.status != Registration.Status.PENDING:
                return registration  # confirmed by a click a moment before
            raise
        # Under the event's lock, one statement both checks that the sign-up is
        # still pending and confirms it: the confirmation rush's hot path.
        still_pending = Registration.objects.filter(
            pk=registration.pk,
            status=Registration.Status.PENDING,
            mode=registration.mode,  # as read: a switch since then waits its turn
            erased_at__isnull=True,
        ).update(**changes)
        if not still_pending:
            registration.refresh_from_db()
            if (
                registration.status == Registration.Status.PENDING
                and not registration.erased_at
            ):
                # The mode changed since it was read: confirm what it is now.
                return confirm(registration)
            return registration  # a second click on the link changes nothing
        if changes["status"] == Registration.Status.CONFIRMED:
            _take_seat(event)
        for name, value in changes.items():
            setattr(registration, name, value)
        logger.info("Registration %s: %s", registration.pk, registration.status)
        _send_mail(registration, mail)
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
        _send_mail(registration, Registration.Mail.CANCELLED)
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
    if (
        event.seats_taken >= event.seats
        or event.start <= clock.now()
        or event.is_cancelled
    ):
        return None
    first = event.registrations.waiting().first()
    if first is None:
        return None
    _take_seat(event)
    first.status = Registration.Status.CONFIRMED
    first.save(update_fields=["status", "updated_at"])
    logger.info("Registration %s: promoted from the waiting list", first.pk)
    _send_mail(first, Registration.Mail.PROMOTED)
    return first
