"""The rendered programme is cached; any change organisers make invalidates it.

Cache keys carry the programme revision, a counter in the database that every save
or delete of programme data raises. Old entries simply stop being asked for and
expire, so no server process ever serves a stale schedule.
"""

import contextlib
import contextvars
import datetime
import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import F
from django.db.models.functions import Now
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

from qualityweek import clock, metrics

from .page_state import page_state


class PreparedQuery:
    """An ORM query compiled to SQL once, then run with new values: for the reads
    every cache hit makes, where building the query costs ten times running it.

    `build(**markers)` returns the queryset; each keyword is a marker value that
    `rows(**values)` replaces in the compiled parameters. Only for queries whose
    SQL depends on nothing else (no dates of today, no settings).
    """

    def __init__(self, build):
        self.build = build
        self.compiled = None
        self.lock = threading.Lock()

    def rows(self, **values) -> list[tuple]:
        if self.compiled is None:
            with self.lock:
                markers = {name: f"\x00{name}\x00" for name in values}
                queryset = self.build(**markers)
                compiler = queryset.query.get_compiler(queryset.db)
                sql, params = compiler.as_sql()
                # How the ORM turns the database's values into Python's (SQLite's
                # text dates into aware datetimes, say).
                converters = compiler.get_converters(
                    [column for column, _sql, _alias in compiler.select]
                )
                by_marker = {marker: name for name, marker in markers.items()}
                self.compiled = (compiler, converters, sql, params, by_marker)
        compiler, converters, sql, params, by_marker = self.compiled
        params = [
            values[by_marker[param]] if param in by_marker else param
            for param in params
        ]
        with connections[compiler.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


def _revision_query(**markers):
    from .models import ProgrammeRevision

    return ProgrammeRevision.objects.filter(pk=1).values_list("number", "changed_at")


_REVISION = PreparedQuery(_revision_query)


def current_revision() -> int:
    return current_state()[0]


def current_state() -> tuple[int, datetime.datetime | None]:
    """The revision number and when it last rose, in one query: for ETag and
    Last-Modified. The moment is real time, as HTTP caches compare it."""
    rows = _REVISION.rows()
    return rows[0] if rows else (0, None)


def bump_revision(**kwargs) -> None:
    from .models import ProgrammeRevision

    revisions = ProgrammeRevision.objects.filter(pk=1)
    if not revisions.update(number=F("number") + 1, changed_at=Now()):
        ProgrammeRevision.objects.update_or_create(
            pk=1, defaults={"number": 1, "changed_at": Now()}
        )


def key(name: str, *parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"programme:{name}:{digest}"


def get_or_render(name: str, parts: tuple, render, timeout: int, *, revision=None):
    """The cached value for these parts at the current revision, rendering it once.

    A caller that has already read the revision passes it, saving a query.
    """
    if revision is None:
        revision = current_revision()
    cache_key = key(name, revision, *parts)
    value = tiered_get(cache_key)
    if value is None:
        value = render()
        tiered_set(cache_key, value, timeout)
    return value


def get_or_render_encoded(
    request, name: str, parts: tuple, render, content_type: str, *, revision=None
) -> tuple[str, bytes, str]:
    """Like get_or_render, for bytes sent as they are: the encoding this request
    takes (gzip or identity), its content and type, each kept under its own key."""
    if revision is None:
        revision = current_revision()
    cache_key = key(name, revision, *parts)
    encoding = "gzip" if gzip_accepted(request) else "identity"
    with searching(request):
        cached = tiered_get(f"{cache_key}:{encoding}")
        if cached is None:
            cached = store_encodings(cache_key, render(), content_type)[encoding]
    return (encoding, *cached)


class LocalTier:
    """A small per-process cache in front of the shared one (Redis).

    Every key names the programme revision (or something as final), so an entry
    here is never stale: a change elsewhere raises the revision and the old key
    is simply not asked for again. So a host serves a hot page from its own
    memory and goes to the shared cache only on a miss. Bounded in bytes, least
    recently used first out; entries also keep the shared cache's timeout.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.used = 0
        self.entries: OrderedDict[str, tuple[float, int, object]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, cache_key: str):
        with self.lock:
            entry = self.entries.get(cache_key)
            if entry is None:
                return None
            expires, _size, value = entry
            if expires < time.monotonic():
                self._drop(cache_key)
                return None
            self.entries.move_to_end(cache_key)
            return value

    def set(self, cache_key: str, value, timeout: int) -> None:
        size = _size_of(value)
        if size > self.max_bytes // 4:
            return  # one page never pushes out most of the others
        with self.lock:
            if cache_key in self.entries:
                self._drop(cache_key)
            self.entries[cache_key] = (time.monotonic() + timeout, size, value)
            self.used += size
            while self.used > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def _drop(self, cache_key: str) -> None:
        _expires, size, _value = self.entries.pop(cache_key)
        self.used -= size


def _size_of(value) -> int:
    """Roughly what a cached value holds in memory: its bytes and text."""
    if isinstance(value, bytes | str):
        return len(value) + 64
    if isinstance(value, tuple | list):
        return sum(_size_of(part) for part in value) + 64
    return 256


@functools.cache
def local_tier() -> LocalTier | None:
    """This process's tier, where the shared cache is another process (Redis):
    in front of a per-process cache (local memory) it would only hold copies."""
    if isinstance(caches["default"], LocMemCache):
        return None
    size = settings.QUALITYWEEK_LOCAL_CACHE_BYTES
    return LocalTier(size) if size > 0 else None


def _settings_changed(setting, **kwargs) -> None:
    if setting in ("CACHES", "QUALITYWEEK_LOCAL_CACHE_BYTES"):
        local_tier.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="events-local-tier")


# Each wording of a search is a page of its own, rarely asked for twice: kept
# in the shared cache, 200 random searches took 3.4 MiB of Redis. What a search
# renders (`?q=`) stays in this process's bounded tier, or is not kept.
_searching = contextvars.ContextVar("programme_search", default=False)


@contextlib.contextmanager
def searching(request):
    """Within it, what a search request renders skips the shared cache."""
    token = _searching.set(_searching.get() or bool(request.GET.get("q")))
    try:
        yield
    finally:
        _searching.reset(token)


def _shared() -> bool:
    # A local-memory "shared" cache is this process's own: bounded, never Redis.
    return not _searching.get() or isinstance(caches["default"], LocMemCache)


def tiered_get(cache_key: str):
    tier = local_tier()
    if tier is not None:
        value = tier.get(cache_key)
        if value is not None:
            metrics.count_page_cache("local")
            return value
    if not _shared():
        return None
    value = cache.get(cache_key)
    metrics.count_page_cache("miss" if value is None else "shared")
    if value is not None and tier is not None:
        tier.set(cache_key, value, settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS)
    return value


def tiered_set(cache_key: str, value, timeout: int) -> None:
    if _shared():
        cache.set(cache_key, value, timeout)
    tier = local_tier()
    if tier is not None:
        tier.set(cache_key, value, timeout)


def whole_page(view=None, *, params: dict | None = None, live=None):
    """Cache a programme page's whole response for visitors, per revision and URL.

    For pages that depend on nothing but the programme, the URL and the language:
    no forms that post, no seats, nothing personal. Signed-in organisers (who may
    preview unpublished events) always get a fresh page.

    `params` names the query parameters the page reads, each with a test of its
    value. Any other parameter (a tracking tag, junk) sends the visitor to the
    canonical address; a value that fails its test is rendered, with the view's
    explanation, but not kept. So only pages people can really ask for take
    cache entries.

    `live(request, **kwargs)` names what on the page changes without the programme
    changing (such as whether registration is open, or the seats left): one copy
    is kept per answer, so a cheap read per request keeps the page true. A `live`
    marked `reads_revision` returns (revision, answer) from its one query.
    """
    if view is None:
        return functools.partial(whole_page, params=params, live=live)
    accepted = params or {}

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        with searching(request):
            return _cached_response(request, *args, **kwargs)

    def _cached_response(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        known = [
            (name, value)
            for name, value in request.GET.items()
            if name in accepted and value
        ]
        if len(known) != len(request.GET):
            query = f"?{urlencode(known)}" if known else ""
            return redirect(request.path + query)
        if not all(accepted[name](value) for name, value in known):
            return view(request, *args, **kwargs)
        # The view's own fragment caches reuse this reading: one query a page.
        # A live reading that takes the revision with it (`reads_revision`) makes
        # that one query serve both.
        memo = page_state(request)
        if getattr(live, "reads_revision", False):
            memo.revision, state = live(request, **kwargs)
        else:
            memo.revision = current_revision()
            state = live(request, **kwargs) if live else None
        page_key = key(
            "page",
            memo.revision,
            get_language(),
            request.build_absolute_uri(),
            clock.today(),  # which edition is current moves with the date
            state,
        )
        encoding = "gzip" if gzip_accepted(request) else "identity"
        cached = tiered_get(f"{page_key}:{encoding}")
        if cached is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response = response.render()
            if response.status_code != 200 or response.cookies:
                return response
            cached = store_encodings(
                page_key, response.content, response["Content-Type"]
            )[encoding]
        return let_proxy_keep(request, encoded_response(encoding, *cached))

    return cached_view


# How long nginx in front (deploy/nginx.conf) may answer anonymous visitors with a
# copy of its own of a programme page or feed. A seat count on an event page is at
# most this old, plus the one refresh in flight; the seat itself is decided under
# the event's row lock, never from the page. nginx counts in whole seconds and
# keeps a copy until the second after the one it was told: it is told one less.
PROXY_CACHE_SECONDS = 2


def let_proxy_keep(request, response):
    """Tell nginx (X-Accel-Expires, which it keeps to itself) that it may keep this
    answer for PROXY_CACHE_SECONDS: only a 200 to a GET without a session, that
    sets no cookie, holds no form token and forbids no store. nginx keeps nothing
    that does not say so."""
    cache_control = response.get("Cache-Control", "")
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.cookies
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # Set once a page asks for the CSRF token: the page holds one.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-store"))
    ):
        response["X-Accel-Expires"] = str(PROXY_CACHE_SECONDS - 1)
    return response


def kept_by_proxy(view):
    """`let_proxy_keep` for every answer of a view (the calendar feeds)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return let_proxy_keep(request, view(request, *args, **kwargs))

    return wrapped


def store_encodings(cache_key: str, content: bytes, content_type: str) -> dict:
    """Keep the content plain and gzipped, under a key each: a hit moves only the
    encoding asked for (a week of 500 events is ~500 KB of HTML, ~21 KB gzipped).

    Compressed once here, not per request. What is stored holds no secret (no CSRF
    token, nothing personal), so BREACH has nothing to find.
    """
    encodings = {
        "identity": (content, content_type),
        "gzip": (compress_string(content), content_type),
    }
    for encoding, value in encodings.items():
        tiered_set(
            f"{cache_key}:{encoding}",
            value,
            settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
        )
    return encodings


def encoded_response(encoding: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    if encoding == "gzip":
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def gzip_accepted(request) -> bool:
    encodings = request.headers.get("Accept-Encoding", "")
    return any(
        part.split(";")[0].strip() == "gzip"
        and part.replace(" ", "").split(";q=")[-1] not in ("0", "0.0", "0.00", "0.000")
        for part in encodings.split(",")
    )


def watch(*models) -> None:
    """Raise the programme revision on every save or delete of these models' rows:
    for each model whose rows show on public pages. Each app calls it for its own
    models from its `AppConfig.ready()`; an automatic many-to-many table (such as
    `Event.speakers.through`) is watched for changes of its relation."""
    # Cache invalidation is infrastructure, not business logic: signals catch every
    # path that changes the programme (admin, shell, loaddata, services).
    for model in models:
        label = model._meta.label
        if model._meta.auto_created:
            m2m_changed.connect(
                bump_revision, sender=model, dispatch_uid=f"bump-{label}"
            )
            continue
        post_save.connect(bump_revision, sender=model, dispatch_uid=f"bump-{label}")
        post_delete.connect(
            bump_revision, sender=model, dispatch_uid=f"bump-del-{label}"
        )


# Tests of query values, for `whole_page(params=...)`.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}").fullmatch
REGION_CODE = re.compile(r"\d{2}").fullmatch
PAGE_NUMBER = re.compile(r"[1-9]\d{0,3}").fullmatch


def one_of(choices):
    """A test that a value is one of these choices' values."""
    values = {str(value) for value, _label in choices}
    return values.__contains__


def text(max_length: int = 100):
    return lambda value: len(value) <= max_length
