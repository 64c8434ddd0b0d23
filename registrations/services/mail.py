"""E-mails about registrations that organisers resend and cron jobs send."""

import datetime
import logging

from django.db import transaction
from django.utils.translation import gettext

from qualityweek import clock

from ..models import Registration
from .seats import RegistrationError, _renew_link, _send_mail

logger = logging.getLogger(__name__)

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
    _send_mail(registration, STATUS_MAIL[registration.status])
    if registration.status == Registration.Status.PENDING:
        _renew_link(registration)


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


# The organisers' side: check-in at the door and personal data on request (152-FZ).
