"""How sure each fact of an event is, said the same way in every channel.

The organisers' letters fix some facts and leave others open; what the site
shows for itself (demo sessions) is not from them at all. Pages, now and next,
letters, calendar files, structured data and the sitemap all read the marks
from here, so that no channel states as settled what another calls uncertain.
"""

import dataclasses

from django.utils.translation import gettext, pgettext

from .models import Event


@dataclasses.dataclass(frozen=True)
class Certainty:
    demo: bool = False  # not from the organisers: shows how the site works
    date_tba: bool = False  # the day itself is still open
    time_tba: bool = False  # the day is known, the hours are not
    place_tba: bool = False  # people come, but where is not known yet
    format_tba: bool = False  # in person, online or both: not announced

    @property
    def settled(self) -> bool:
        """Everything the event states is the organisers' and certain."""
        return not any(dataclasses.astuple(self))

    @property
    def when_tba(self) -> bool:
        return self.date_tba or self.time_tba

    def when_caveat(self) -> str:
        """What follows the time wherever it is written, in the active language."""
        if self.date_tba:
            return gettext("date and time to be confirmed")
        if self.time_tba:
            return gettext("time to be confirmed")
        return ""

    def when_label(self) -> str:
        """The mark beside an uncertain time in lists: a short heading's case."""
        if self.date_tba:
            return gettext("Date and time to be confirmed")
        if self.time_tba:
            return gettext("Time to be confirmed")
        return ""

    def labels(self) -> list[str]:
        """Every mark of the event, for a feed that has only text to say it."""
        labels = []
        if self.demo:
            labels.append(gettext("Demo"))
        if self.when_tba:
            labels.append(self.when_label())
        if self.place_tba:
            labels.append(gettext("Place to be announced"))
        if self.format_tba:
            labels.append(gettext("Format to be announced"))
        return labels

    def title_prefix(self) -> str:
        """What a calendar's title starts with, where a calendar shows only titles."""
        if self.demo:
            return pgettext("calendar title", "[Demo] ")
        return ""


def of(event: Event) -> Certainty:
    """The marks of an event. Whatever else the programme lists carries its own
    marks in its entry (`events.entries.Entry.certainty`)."""
    return Certainty(
        demo=event.is_demo,
        date_tba=not event.is_date_confirmed,
        time_tba=not event.is_time_confirmed,
        place_tba=event.place_to_be_announced and not event.venue_id,
        format_tba=event.format == Event.Format.TO_BE_ANNOUNCED,
    )
