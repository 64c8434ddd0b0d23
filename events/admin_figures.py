"""Figures of an event's people that the event admin shows beside its seats.

The seats taken are the event's own counter (`Event.seats_taken`, kept by the
seat services, read by the day's dashboard too). Whatever else the organisers
see of an event's people (the waiting list, check-ins) belongs to the app that
keeps them, which registers a `Figure` from its `AppConfig.ready()`: the event
list and change page annotate each figure in their one query.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str  # the annotation, and the change page's field: "waiting_figure"
    label: str  # a short heading (the event list is wide already)
    count: Callable  # () -> the annotation counting it per event
    in_list: Callable[[int], str] | None = None  # its words under the seats in the list


_figures: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    _figures[figure.name] = figure


def figures() -> list[Figure]:
    return list(_figures.values())
