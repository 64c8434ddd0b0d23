"""What the features add to an event's page: sections of their own.

The programme knows nothing of the features' rows, so a feature that lists some
on an event's page (the contest's winners on the awards ceremony's) registers an
`EventSection` from its `AppConfig.ready()`: a template of its own, given the
rows it lists (`items`) and the event. A section with no rows is left out. The
page is kept per programme revision, so the feature watches its models
(`caching.watch`). Sections show in the order the apps are installed.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EventSection:
    name: str
    template_name: str  # included with `items` and `event` only
    items: Callable  # (event) -> the rows the section lists


_sections: dict[str, EventSection] = {}


def register(section: EventSection) -> None:
    _sections[section.name] = section


@dataclass(frozen=True)
class FilledSection:
    template_name: str
    items: list


def sections(event) -> list[FilledSection]:
    """Each registered section of the event's page that has rows to list."""
    filled = []
    for section in _sections.values():
        items = list(section.items(event))
        if items:
            filled.append(FilledSection(section.template_name, items))
    return filled
