"""What one request has read for the page cache, kept on it as `request.page_state`.

A cached page costs one small query: the programme revision (and, for an event
page, its live state beside it). The view, its fragment caches and the
conditional-GET checks of the feeds all need the same values, so each is read at
most once a request and kept here, in one documented place:

- `revision`: the programme revision the page's cache keys name; `whole_page`
  sets it from its reading, fragment caches reuse it (`programme_revision()`);
- `programme_state()`: the revision and when it last rose (ETag, Last-Modified);
- `remember(name, read)`: any other value read once a request, by name (the
  current edition, the regional day's registration state).
"""

import datetime

_UNREAD = object()


class PageState:
    def __init__(self):
        self.revision: int | None = None
        self._state = _UNREAD
        self._memos: dict[str, object] = {}

    def programme_revision(self) -> int:
        """The programme revision, read once a request (the page cache may have)."""
        if self.revision is None:
            self.revision = self.programme_state()[0]
        return self.revision

    def programme_state(self) -> tuple[int, datetime.datetime | None]:
        """The revision and when it last rose, read once a request."""
        if self._state is _UNREAD:
            from .caching import current_state  # caching keeps its pages with this

            self._state = current_state()
        return self._state

    def remember(self, name: str, read):
        """`read()`'s value, called once a request whatever the answer (None too)."""
        if name not in self._memos:
            self._memos[name] = read()
        return self._memos[name]


def page_state(request) -> PageState:
    """The request's page-cache state, made on first use."""
    try:
        return request.page_state
    except AttributeError:
        request.page_state = PageState()
        return request.page_state
