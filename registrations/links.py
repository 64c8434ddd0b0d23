"""The links a participant gets: absolute, and for confirmation signed and expiring."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from qualityweek import clock

from .models import Registration

CONFIRMATION_MAX_AGE = datetime.timedelta(hours=48)


class ClockTimestampSigner(signing.TimestampSigner):
    """Timestamps by the site clock, so rehearsals and tests can move time on."""

    def timestamp(self):
        return signing.b62_encode(int(clock.now().timestamp()))

    def unsign(self, value, max_age=None):
        value, timestamp = signing.Signer.unsign(self, value).rsplit(self.sep, 1)
        age = clock.now().timestamp() - signing.b62_decode(timestamp)
        if max_age is not None and age > max_age.total_seconds():
            raise signing.SignatureExpired("The link has expired")
        return value


_signer = ClockTimestampSigner(salt="registrations.confirm")


def sign_confirmation(registration: Registration) -> str:
    # The payload is the random confirmation key, never the e-mail address.
    return _signer.sign(registration.confirmation_key)


def unsign_confirmation(value: str, *, max_age=CONFIRMATION_MAX_AGE) -> str:
    """The confirmation key; raises SignatureExpired or BadSignature."""
    return _signer.unsign(value, max_age=max_age)


def absolute(path: str) -> str:
    return settings.QUALITYWEEK_SITE_URL + path


def confirm_url(registration: Registration) -> str:
    return absolute(
        reverse(
            "registrations:confirm",
            kwargs={"signed": sign_confirmation(registration)},
        )
    )


def status_url(registration: Registration) -> str:
    return absolute(registration.get_absolute_url())


def cancel_url(registration: Registration) -> str:
    return absolute(
        reverse("registrations:cancel", kwargs={"token": registration.token})
    )


def checkin_url(registration: Registration) -> str:
    """What the ticket's QR code holds: the staff check-in page of this ticket."""
    # Staff at the door read the Russian site, whatever the participant's language.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "registrations:checkin_ticket", kwargs={"code": registration.ticket_code}
        )
    return absolute(path)
