"""E-mails about registrations that organisers resend and cron jobs send."""

import datetime
import logging
import uuid

from django.db import transaction
from django.utils.translation import gettext

from qualityweek import clock

from .. import tasks
from ..models import Registration, new_token
from .seats import RegistrationError, _lock_event, _renew_link, _send_mail

logger = logging.getLogger(__name__)

STATUS_MAIL = {
    Registration.Status.PENDING: Registration.Mail.CONFIRM_ADDRESS,
    Registration.Status.CONFIRMED: Registration.Mail.SEAT,
    Registration.Status.WAITING: Registration.Mail.WAITING,
    Registration.Status.CANCELLED: Registration.Mail.CANCELLED,
    Registration.Status.ONLINE: Registration.Mail.ONLINE,
}

# Those taking part online are reminded this long before the stream starts.
ONLINE_REMINDER_BEFORE = datetime.timedelta(hours=1)


def resend_email(registration: Registration) -> None:
    """Send the person the e-mail that fits their registration's status again."""
    registration.refresh_from_db()
    if registration.erased_at:
        raise RegistrationError(gettext("This registration's personal data is erased."))
    _send_mail(registration, STATUS_MAIL[registration.status])
    if registration.status == Registration.Status.PENDING:
        _renew_link(registration)


def correct_refused_email(registration_pk: int, email: str) -> Registration:
    """Put right an address the mail server refused for good, and send the
    letter that fits the registration's status to it. The person's own page
    calls this; it keeps one registration per address and event."""
    email = email.strip().lower()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=registration_pk, erased_at__isnull=True)
            .first()
        )
        if (
            registration is None
            or registration.email_failed_at is None
            or registration.status == Registration.Status.CANCELLED
        ):
            raise RegistrationError(
                gettext("There is no refused address to correct here any more.")
            )
        # Sign-ups and corrections of the event queue here: the one-per-address
        # rule is checked and kept under the same lock.
        _lock_event(registration.event_id)
        if (
            Registration.objects.filter(
                event_id=registration.event_id, email=email, erased_at__isnull=True
            )
            .exclude(pk=registration.pk)
            .exists()
        ):
            raise RegistrationError(
                gettext(
                    "This address is already registered for this event. Please "
                    "give another one, or use the letters sent to it."
                )
            )
        registration.email = email
        registration.email_failed_at = None
        registration.email_failed_letter = ""
        fields = ["email", "email_failed_at", "email_failed_letter", "updated_at"]
        if registration.status == Registration.Status.PENDING:
            # The link that went to the refused address stops working.
            registration.confirmation_key = new_token()
            fields.append("confirmation_key")
        registration.save(update_fields=fields)
        logger.info("Registration %s: refused address corrected", registration.pk)
        _send_mail(registration, STATUS_MAIL[registration.status])
    return registration


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
        _send_mail(registration, Registration.Mail.REMINDER)
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


def online_reminder_key(registration: Registration) -> str:
    """The one letter key of a person's reminder to watch: however often the job
    or its task runs, the mail machinery (SentLetter) sends it once. Signing up
    again after cancelling is confirmed anew, so it gets a reminder of its own."""
    name = f"online-reminder:{registration.pk}:{registration.confirmed_at.isoformat()}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).hex


def send_online_reminder(registration: Registration) -> bool:
    """Remind a person taking part online, with the stream link; False if done."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if (
            registration.status != Registration.Status.ONLINE
            or registration.reminder_sent_at
            or registration.erased_at
        ):
            return False
        registration.reminder_sent_at = clock.now()
        registration.save(update_fields=["reminder_sent_at", "updated_at"])
        tasks.send_mail.enqueue(
            registration.pk,
            Registration.Mail.ONLINE_REMINDER,
            letter=online_reminder_key(registration),
        )
    return True


def send_online_reminders() -> int:
    """Remind everyone taking part online in an event that starts within the hour."""
    now = clock.now()
    due = Registration.objects.online().filter(
        reminder_sent_at__isnull=True,
        erased_at__isnull=True,
        event__is_cancelled=False,
        event__start__gt=now,
        event__start__lte=now + ONLINE_REMINDER_BEFORE,
    )
    return sum(
        send_online_reminder(registration) for registration in due.order_by("pk")
    )


# The organisers' side: check-in at the door and personal data on request (152-FZ).
