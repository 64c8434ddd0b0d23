"""What a visitor may do with an event's seats now: the read side of registration.

`availability()` and `refusal()` say whether an event takes sign-ups and why not;
`live_state()` is the figure pages and their cache key show. Nothing here writes.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext

from events.models import Event
from qualityweek import clock
from qualityweek.models import ConsentText

from ..models import Registration


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
    # In person: the event takes place online only; people sign up to take part
    # online instead.
    ONLINE_ONLY = "online_only"
    # Online: the event is not streamed (in person, or its format not known yet).
    NOT_STREAMED = "not_streamed"

    # Sign-ups are taken in these states; confirmations too.
    TAKING = (OPEN, FULL)


def _window(event: Event, *, has_consent: bool | None) -> str:
    """Whether the event takes sign-ups now by its settings and window, by the
    site clock, whatever its seats: OPEN, or why not."""
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
    if has_consent is None:
        # An event's own consent text is in force by being named: no need to
        # read it (this runs under the event's lock in the confirmation rush).
        has_consent = bool(event.consent_text_id) or consent_text_for(event) is not None
    if not has_consent:
        return Availability.UNAVAILABLE  # no consent, no personal data
    return Availability.OPEN


def availability(event: Event, *, has_consent: bool | None = None) -> str:
    """Whether and how the event takes registrations to attend in person now.

    `has_consent` says whether a consent text is in force for it, if the caller
    has read that already."""
    if event.takes_registrations and event.format == Event.Format.ONLINE:
        return Availability.ONLINE_ONLY  # no hall, no seats: only online
    state = _window(event, has_consent=has_consent)
    if state != Availability.OPEN:
        return state
    if event.seats_taken < event.seats:
        return Availability.OPEN
    if event.keeps_waiting_list:
        return Availability.FULL
    return Availability.SOLD_OUT


def online_availability(event: Event, *, has_consent: bool | None = None) -> str:
    """Whether the event takes sign-ups to take part online now: in the same
    window as for seats, but with no seat limit, so a full hall refuses nobody;
    only an event streamed (online or hybrid) takes them."""
    if event.takes_registrations and not event.is_online:
        return Availability.NOT_STREAMED
    return _window(event, has_consent=has_consent)


def availability_for(event: Event, mode: str) -> str:
    """The availability that a sign-up in this mode ("in_person", "online") meets."""
    if mode == Registration.Mode.ONLINE:
        return online_availability(event)
    return availability(event)


def consent_text_for(event: Event) -> ConsentText | None:
    """The consent version in force for the event: its own, else the latest one
    for registration."""
    if event.consent_text_id:
        return event.consent_text
    return ConsentText.objects.in_force(ConsentText.Purpose.REGISTRATION)


def can_cancel(registration: Registration) -> bool:
    """Whether the person may still give up their seat or place themselves."""
    return (
        registration.status != Registration.Status.CANCELLED
        and not registration.checked_in_at
        and not registration.event.has_ended()
    )


def seats_left(event: Event) -> int:
    return max(event.seats - event.seats_taken, 0)


def live_state(event: Event, *, has_consent=None) -> tuple[str, int | None, str]:
    """What a page shows of the event's registration now: its state and, while
    it takes sign-ups, the seats left, and the state of taking part online (a
    cached page keeps one copy per answer)."""
    if has_consent is None and event.takes_registrations:
        has_consent = bool(event.consent_text_id) or consent_text_for(event) is not None
    state = availability(event, has_consent=has_consent)
    online = online_availability(event, has_consent=has_consent)
    return state, seats_left(event) if state in Availability.TAKING else None, online


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
    if state == Availability.ONLINE_ONLY:
        return gettext(
            "This event takes place online only: there are no seats to register "
            "for, but you can sign up to take part online."
        )
    if state == Availability.NOT_STREAMED:
        return gettext(
            "No broadcast is announced for this event, so it takes no sign-ups "
            "to take part online."
        )
    return gettext("This event takes no registrations on the site.")
