"""Links that leave the site (e-mails, calendars): absolute, and signed where they
grant something, with an age measured by the site clock."""

import datetime

from django.conf import settings
from django.core import signing

from . import clock


def absolute(path: str) -> str:
    """The path as a link that works from an e-mail or a calendar app."""
    return settings.QUALITYWEEK_SITE_URL + path


class ClockTimestampSigner(signing.TimestampSigner):
    """Timestamps by the site clock, so rehearsals and tests can move time on."""

    def timestamp(self):
        return signing.b62_encode(int(clock.now().timestamp()))

    def unsign(self, value, max_age=None):
        value, timestamp = signing.Signer.unsign(self, value).rsplit(self.sep, 1)
        age = clock.now().timestamp() - signing.b62_decode(timestamp)
        if isinstance(max_age, datetime.timedelta):
            max_age = max_age.total_seconds()
        if max_age is not None and age > max_age:
            raise signing.SignatureExpired("The link has expired")
        return value


def sign(value: str, *, salt: str) -> str:
    """A value only this site could have written, dated by the site clock.

    The salt names what the link grants, so that one kind of link never opens
    another. Sign random keys, never an e-mail address or a name.
    """
    return ClockTimestampSigner(salt=salt).sign(value)


def unsign(value: str, *, salt: str, max_age: datetime.timedelta | None) -> str:
    """The signed value; raises SignatureExpired or BadSignature."""
    return ClockTimestampSigner(salt=salt).unsign(value, max_age=max_age)
