"""What the programme's pages share: the current edition and the feeds' validators."""

import datetime

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from qualityweek import clock

from .. import caching
from ..models import Edition
from ..page_state import page_state

# Calendar apps poll feeds; five minutes keeps a proxy from asking for each of them.
CALENDAR_MAX_AGE = 5 * 60


class CurrentEditionMixin:
    """Loads self.edition: the current edition, 404 while the site holds none."""

    def get_edition(self):
        edition = Edition.objects.current()
        if edition is None:
            raise Http404("No edition yet")
        return edition

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.edition = None

    def dispatch(self, request, *args, **kwargs):
        self.edition = self.get_edition()
        return super().dispatch(request, *args, **kwargs)


def feed_links(request, url: str) -> dict:
    """The links of `calendar_subscribe.html` to a feed: download and subscribe."""
    absolute_url = request.build_absolute_uri(url)
    return {
        "url": url,
        "absolute_url": absolute_url,
        "webcal_url": "webcal://" + absolute_url.split("://", 1)[1],
    }


def _current_edition(request) -> Edition | None:
    # Read once per request: the conditional-GET check and the view both need it.
    # Which edition is current changes with the date or an edit of editions
    # (which raises the revision): kept per both, a feed's hit reads no edition.
    return page_state(request).remember(
        "current_edition",
        lambda: caching.get_or_render(
            "current-edition",
            (clock.today(),),
            Edition.objects.current,
            settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
            revision=_revision(request),
        ),
    )


def _revision(request) -> int:
    """The programme revision, read once a request (the page cache may have)."""
    return page_state(request).programme_revision()


def _programme_state(request) -> tuple[int, datetime.datetime | None]:
    return page_state(request).programme_state()


def _feed_etag(request, **kwargs) -> str:
    # Any change to the programme raises the revision, and so does any edit that
    # a file shows (venue, speakers, edition): one cheap query answers for all.
    edition = _current_edition(request)
    revision, _changed_at = _programme_state(request)
    return f"{edition.pk if edition else 0}-{revision}-{get_language()}{_gz(request)}"


def _event_etag(request, **kwargs) -> str:
    revision, _changed_at = _programme_state(request)
    return f"{revision}-{get_language()}{_gz(request)}"


def _gz(request) -> str:
    # A gzipped answer is other bytes: it has its own entity tag.
    return "-gz" if caching.gzip_accepted(request) else ""


def _programme_changed_at(request, **kwargs) -> datetime.datetime | None:
    return _programme_state(request)[1]
