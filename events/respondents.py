"""Who is asked about an event afterwards, without the programme naming them.

A feature whose people take part in an event (a participant checked in at the
door, a regional venue connected to the regional day) registers a `Source` from
its `AppConfig.ready()`. The surveys ask each respondent a source gives, and
address the letter through the source when it goes, so that the survey keeps no
address of its own: only the source's label and the row's pk, its link to the
person. A feature erasing a person's row calls `forget()`, and whoever keeps
such links (the surveys) drops them; the answers stay, no longer anyone's.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Respondent:
    pk: int  # the source's row
    email: str
    name: str  # how the letter greets them
    language: str
    region_id: int | None  # where the answers count; None: from abroad


@dataclass(frozen=True)
class Source:
    label: str  # "registrations": kept with each invitation
    # (event) -> the respondents an event's survey asks, once it is over.
    respondents: Callable[[object], list[Respondent]]
    # (pk) -> the respondent now, or None once erased: the letter's address.
    find: Callable[[int], Respondent | None]
    # Who they are, in organisers' lists of invitations (a lazy translation).
    kind: str = ""


_sources: dict[str, Source] = {}
_keepers: list[Callable[[str, int], object]] = []


def register(source: Source) -> None:
    _sources[source.label] = source


def sources() -> list[Source]:
    return list(_sources.values())


def source(label: str) -> Source | None:
    return _sources.get(label)


def keep_links(forget: Callable[[str, int], object]) -> None:
    """Declare a keeper of links to respondents: called as forget(label, pk)."""
    if forget not in _keepers:
        _keepers.append(forget)


def forget(label: str, pk: int) -> None:
    """A source's row was erased: every link to it goes."""
    for keeper in _keepers:
        keeper(label, pk)
