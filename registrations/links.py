"""The links a participant gets: absolute, and for confirmation signed and expiring."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from qualityweek import links

from .models import Registration

CONFIRMATION_MAX_AGE = datetime.timedelta(hours=48)
SALT = "registrations.confirm"


def sign_confirmation(registration: Registration) -> str:
    # The payload is the random confirmation key, never the e-mail address.
    return links.sign(registration.confirmation_key, salt=SALT)


def unsign_confirmation(value: str, *, max_age=CONFIRMATION_MAX_AGE) -> str:
    """The confirmation key; raises SignatureExpired or BadSignature."""
    return links.unsign(value, salt=SALT, max_age=max_age)


def opened_confirmation(value: str) -> tuple[str | None, links.Problem | None]:
    """The confirmation key a link carries (an expired one's too) and what is
    wrong with the link, if anything."""
    return links.opened(value, salt=SALT, max_age=CONFIRMATION_MAX_AGE)


def problem_page(
    request,
    problem: links.Problem,
    registration: Registration | None = None,
    *,
    status: int | None = None,
):
    """The site's page for a link that does not open, with the way back to the
    form: a new letter brings a new link."""
    return links.problem_page(
        request,
        problem,
        link=gettext("The confirmation link"),
        max_age=CONFIRMATION_MAX_AGE,
        advice=gettext(
            "Send the form again with the same e-mail address and we will send "
            "you a new link; nothing is lost."
        ),
        next_url=sign_up_path(registration)
        if registration
        else reverse("registrations:regional_day"),
        next_label=gettext("Register again"),
        status=status,
    )


def sign_up_path(registration: Registration) -> str:
    """Where the person signs up again: the form of the way they take part (the
    online form lives on the regional day's page)."""
    if registration.mode == Registration.Mode.ONLINE:
        return reverse("registrations:regional_day") + "#online"
    return reverse("registrations:register", kwargs={"slug": registration.event.slug})


def confirm_url(registration: Registration) -> str:
    return links.absolute(
        reverse(
            "registrations:confirm",
            kwargs={"signed": sign_confirmation(registration)},
        )
    )


def status_url(registration: Registration) -> str:
    return links.absolute(registration.get_absolute_url())


def cancel_url(registration: Registration) -> str:
    return links.absolute(
        reverse("registrations:cancel", kwargs={"token": registration.token})
    )


def checkin_url(registration: Registration) -> str:
    """What the ticket's QR code holds: the staff check-in page of this ticket."""
    # Staff at the door read the Russian site, whatever the participant's language.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "registrations:checkin_ticket", kwargs={"code": registration.ticket_code}
        )
    return links.absolute(path)
