"""The rendered programme is cached; any change organisers make invalidates it.

Cache keys carry the programme revision, a counter in the database that every save
or delete of programme data raises. Old entries simply stop being asked for and
expire, so no server process ever serves a stale schedule.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.functions import Now
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

from qualityweek import clock


def current_revision() -> int:
    from .models import ProgrammeRevision

    number = ProgrammeRevision.objects.values_list("number", flat=True).first()
    return number or 0


def current_state() -> tuple[int, datetime.datetime | None]:
    """The revision number and when it last rose, in one query: for ETag and
    Last-Modified. The moment is real time, as HTTP caches compare it."""
    from .models import ProgrammeRevision

    state = ProgrammeRevision.objects.values_list("number", "changed_at").first()
    return state or (0, None)


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
    value = cache.get(cache_key)
    if value is None:
        value = render()
        cache.set(cache_key, value, timeout)
    return value


def whole_page(view):
    """Cache a programme page's whole response for visitors, per revision and URL.

    For pages that depend on nothing but the programme, the URL and the language:
    no forms that post, no seats, nothing personal. Signed-in organisers (who may
    preview unpublished events) always get a fresh page.
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        # The view's own fragment caches reuse this reading: one query a page.
        request.programme_revision = current_revision()
        page_key = key(
            "page",
            request.programme_revision,
            get_language(),
            request.build_absolute_uri(),
            clock.today(),  # which edition is current moves with the date
        )
        cached = cache.get(page_key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response = response.render()
        if response.status_code == 200 and not response.cookies:
            cache.set(
                page_key,
                (response.content, response["Content-Type"]),
                settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
            )
        return response

    return cached_view


def connect_signals() -> None:
    # Cache invalidation is infrastructure, not business logic: signals catch every
    # path that changes the programme (admin, shell, loaddata, services).
    from . import models

    for model in (
        models.Edition,
        models.Event,
        models.Venue,
        models.Organiser,
        models.Speaker,
        models.Region,
    ):
        post_save.connect(
            bump_revision, sender=model, dispatch_uid=f"bump-{model.__name__}"
        )
        post_delete.connect(
            bump_revision, sender=model, dispatch_uid=f"bump-del-{model.__name__}"
        )
    for through in (models.Event.speakers.through, models.Event.organisers.through):
        m2m_changed.connect(
            bump_revision, sender=through, dispatch_uid=f"bump-{through}"
        )
