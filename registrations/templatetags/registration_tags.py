"""The call to register, as every page that offers a seat shows it."""

from django import template

from .. import services
from ..services import Availability

register = template.Library()


@register.inclusion_tag("registrations/includes/registration_call.html")
def registration_call(event, state=None, *, seats=True, link=None):
    """The button to register or join the waiting list while the event takes
    sign-ups, and otherwise the true state in words, never a dead button.

    `state` is the event's availability if the page has read it already;
    `seats=False` leaves out the count of seats left, for a page cached per state
    rather than per seat; `link` sends the button elsewhere than the form.
    """
    if state is None:
        state = services.availability(event)
    taking = state in Availability.TAKING
    return {
        "event": event,
        "state": state,
        "taking": taking,
        "link": link,
        "seats_left": services.seats_left(event) if seats and taking else None,
        "refusal": "" if taking else services.refusal(event, state),
    }


@register.inclusion_tag("registrations/includes/online_call.html")
def online_call(event):
    """The button to take part online while a streamed event takes sign-ups;
    for an event held online only, otherwise the true state in words (beside a
    hall the call to register says it already)."""
    if not (event.takes_registrations and event.is_online):
        return {"state": Availability.UNAVAILABLE}
    state = services.online_availability(event)
    taking = state in Availability.TAKING
    return {
        "event": event,
        "state": state,
        "taking": taking,
        "only_online": event.format == event.Format.ONLINE,
        "refusal": "" if taking else services.refusal(event, state),
    }
