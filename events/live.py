"""What an event's page shows that changes without the programme changing.

Seats are taken and freed without a programme revision, so a cached event page
is kept once per live answer (see `caching.whole_page(live=…)`), read with the
revision in one small query. The programme knows nothing of seats: the app that
takes sign-ups registers one `Provider` from its `AppConfig.ready()`. Without one,
an event has no live state and its page is the same for everybody.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    fields: tuple[str, ...]  # the Event fields `state` and `availability` read
    annotations: Callable[[], dict]  # values read beside them, by name
    # (event, **annotations) -> the page's live answer (part of its cache key)
    state: Callable[..., tuple]
    # (event) -> where its registration stands now: the word templates are given
    availability: Callable[..., str]
    # (event, availability) -> schema.org's ItemAvailability and the path to
    # sign up, or None where the page's own address is the offer's
    offer: Callable[..., tuple[str, str | None]]


NOTHING = Provider(
    fields=(),
    annotations=dict,
    state=lambda event, **annotations: (),
    availability=lambda event: "",
    offer=lambda event, availability: ("SoldOut", None),
)

_provider = NOTHING


def register(provider: Provider) -> None:
    global _provider
    _provider = provider


def provider() -> Provider:
    return _provider


def availability(event) -> str:
    return _provider.availability(event)


def offer(event, availability: str) -> tuple[str, str | None]:
    return _provider.offer(event, availability)
