"""The registrants of events, as an audience of the organisers' messages."""

from django.utils.translation import gettext_lazy as _

from events.models import Event
from qualityweek import messages

from .models import Registration

Status = Registration.Status
# Whom each choice writes to: never the pending (their address is unconfirmed)
# nor the cancelled.
GROUPS = {
    "seats": [Status.CONFIRMED],
    "waiting": [Status.WAITING],
    "both": [Status.CONFIRMED, Status.WAITING],
    "online": [Status.ONLINE],
}


def recipients(events, group: str):
    """The registrants of these events in this group, one registration per address."""
    registrations = Registration.objects.filter(
        event__in=events, status__in=GROUPS[group], erased_at__isnull=True
    )
    return messages.one_per_address(registrations)


def is_due(registration: Registration) -> bool:
    return registration.erased_at is None and any(
        registration.status in statuses for statuses in GROUPS.values()
    )


def address(registration: Registration) -> tuple[str, list[str]]:
    return registration.email, []


AUDIENCE = messages.Audience(
    key="registrations",
    source=Event,
    model=Registration,
    action_label=_("Write to the registrants of the selected events"),
    groups={
        "seats": _("people with a seat"),
        "waiting": _("people on the waiting list"),
        "both": _("people with a seat and on the waiting list"),
        "online": _("people taking part online"),
    },
    recipients=recipients,
    is_due=is_due,
    address=address,
    reason=_(
        "You get this letter because your e-mail address was given in the "
        "registration form on the site of World Quality Week."
    ),
)
