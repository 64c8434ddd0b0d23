"""Links that leave the site (e-mails, calendars): absolute, and signed where they
grant something, with an age measured by the site clock; and the one page that
answers a link that does not open (expired, cut short or changed, or naming
what is no longer here)."""

import datetime
import enum

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

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


class Problem(enum.StrEnum):
    """What is wrong with a link a visitor opened."""

    EXPIRED = "expired"  # true, but older than it works for
    INVALID = "invalid"  # cut short, changed, or a link of another kind
    GONE = "gone"  # true, but what it opened was removed or erased
    UNKNOWN = "unknown"  # an unsigned key that names nothing (any of the above)


# The answers each problem has always had.
PROBLEM_STATUS = {
    Problem.EXPIRED: 410,
    Problem.INVALID: 400,
    Problem.GONE: 400,
    Problem.UNKNOWN: 404,
}


def opened(
    value: str, *, salt: str, max_age: datetime.timedelta | None
) -> tuple[str | None, Problem | None]:
    """The key a signed link carries and what is wrong with the link, if
    anything: an expired link still names its key (to say what it was for), a
    forged or changed one names none."""
    try:
        return unsign(value, salt=salt, max_age=max_age), None
    except signing.SignatureExpired:
        return unsign(value, salt=salt, max_age=None), Problem.EXPIRED
    except signing.BadSignature:
        return None, Problem.INVALID


def lifetime(max_age: datetime.timedelta) -> str:
    """How long a link works, as a person says it: "48 hours", "60 days"."""
    days, seconds = divmod(int(max_age.total_seconds()), 86400)
    if days >= 3 and not seconds:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    hours = int(max_age.total_seconds() // 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def problem_page(
    request,
    problem: Problem,
    *,
    link: str,
    max_age: datetime.timedelta,
    advice: str,
    next_url: str,
    next_label: str,
    status: int | None = None,
):
    """The page every link of the site that does not open answers with: what
    happened and what to do next, in the visitor's language.

    `link` names the kind of link ("The confirmation link"), `max_age` how long
    it works, `advice` what the visitor can do, and `next_url`/`next_label` the
    page to go on to. The status is the problem's (410, 400, 404) unless given.
    """
    return render(
        request,
        "link_problem.html",
        {
            "problem": str(problem),
            "link": link,
            "lifetime": lifetime(max_age),
            "advice": advice,
            "next_url": next_url,
            "next_label": next_label,
            "page_title": gettext("This link has expired")
            if problem == Problem.EXPIRED
            else gettext("This link does not work"),
        },
        status=status or PROBLEM_STATUS[problem],
    )
