"""Checking people in at the door."""

import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from qualityweek import clock

from ..models import Registration
from .seats import RegistrationError, _lock_event

logger = logging.getLogger(__name__)


@transaction.atomic
def check_in(
    registration: Registration, *, by: AbstractBaseUser | None = None
) -> Registration:
    """Let a confirmed participant in at the door, once per ticket."""
    # The same lock as every status change, so a ticket cancelled this very moment
    # is not let in.
    event = _lock_event(registration.event_id)
    registration.refresh_from_db()
    registration.event = event
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
    if registration.event.is_cancelled:
        raise RegistrationError(
            gettext("The event is cancelled: the ticket is not valid.")
        )
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
    if status == Registration.Status.ONLINE:
        return gettext("This person takes part online and has no seat.")
    return gettext("This registration is not confirmed by e-mail: it has no seat.")
