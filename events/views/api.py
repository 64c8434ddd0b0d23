"""The read-only JSON API of the programme (`/api/v1/…`) and its documentation."""

import json
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition
from django.views.generic import TemplateView

from .. import api, caching, openapi
from ..models import Edition, Region
from .base import (
    CALENDAR_MAX_AGE,
    _current_edition,
    _feed_etag,
    _programme_changed_at,
    _programme_state,
)
from .frab import public_read

PAGE_SIZE = 50
JSON_CONTENT_TYPE = "application/json"


class NotFound(Exception):
    pass


def _error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def api_view(name: str):
    """A GET-only, public API view: CORS for every site, an ETag and
    Last-Modified from the programme revision (304 when they still hold), and
    the body rendered once per revision, language and arguments.

    The view returns (parts, render): the arguments that tell its answers apart,
    and a function that makes the data, raising NotFound where there is none.
    """

    def decorator(view):
        @public_read
        @caching.kept_by_proxy
        @cache_control(public=True, max_age=CALENDAR_MAX_AGE)
        @condition(etag_func=_feed_etag, last_modified_func=_programme_changed_at)
        def wrapped(request, *args, **kwargs):
            revision, _changed_at = _programme_state(request)
            try:
                parts, render = view(request, *args, **kwargs)
                # What is not found raises before anything is kept.
                encoding, content, content_type = caching.get_or_render_encoded(
                    request,
                    f"api-{name}",
                    (get_language(), *parts),
                    lambda: json.dumps(render(), ensure_ascii=False).encode(),
                    JSON_CONTENT_TYPE,
                    revision=revision,
                )
            except NotFound as error:
                return _error(str(error) or gettext("Not found."), 404)
            response = HttpResponse(content, content_type=content_type)
            if encoding == "gzip":
                response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ["Accept-Encoding"])
            return response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


def _edition(request) -> Edition:
    """The edition the `edition` parameter names by year, else the current one."""
    year = request.GET.get("edition")
    if year:
        if not year.isdigit() or len(year) != 4:
            raise NotFound(gettext("No such edition."))
        edition = Edition.objects.filter(year=int(year)).first()
    else:
        edition = _current_edition(request)
    if edition is None:
        raise NotFound(gettext("No such edition."))
    return edition


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    if not caching.PAGE_NUMBER(value):
        raise NotFound(gettext("No such page."))
    return int(value)


def _page(request, rows, item, number: int) -> dict:
    paginator = Paginator(rows, PAGE_SIZE, allow_empty_first_page=True)
    try:
        page = paginator.page(number)
    except (EmptyPage, PageNotAnInteger) as error:
        raise NotFound(gettext("No such page.")) from error

    def link(other: int) -> str:
        # Only the parameters that tell answers apart: the body is kept per those.
        query = {
            name: request.GET[name] for name in ("edition",) if request.GET.get(name)
        }
        return api.absolute(f"{request.path}?{urlencode({**query, 'page': other})}")

    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": (
            link(page.previous_page_number()) if page.has_previous() else None
        ),
        "results": [item(row) for row in page.object_list],
    }


@api_view("editions")
def edition_list(request):
    """Every edition the site holds, the latest first."""
    number = _page_number(request)
    return (number,), lambda: _page(
        request, Edition.objects.order_by("-year"), api.edition_data, number
    )


@api_view("edition")
def edition_detail(request, year):
    def render():
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise NotFound
        return api.edition_data(edition)

    return (year,), render


@api_view("programme")
def programme_list(request):
    """Everything the programme lists, as the calendar feed does."""
    edition = _edition(request)
    number = _page_number(request)
    return (edition.pk, number), lambda: _page(
        request, api.entries_of(edition), lambda data: data, number
    )


@api_view("regions")
def region_list(request):
    """The regions taking part in the edition, with what makes them take part."""
    edition = _edition(request)
    number = _page_number(request)

    def item(region: Region) -> dict:
        counts = {
            name.removesuffix("_count"): value
            for name, value in vars(region).items()
            if name.endswith("_count") and isinstance(value, int)
        }
        return {**api.region_data(region), "counts": counts}

    def render():
        regions = Region.objects.taking_part(edition).order_by("code")
        return _page(request, regions, item, number)

    return (edition.pk, number), render


@api_view("region")
def region_detail(request, code):
    """A region and what the current edition's programme holds for it."""
    edition = _edition(request)

    def render():
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise NotFound
        return {
            **api.region_data(region),
            "programme": api.entries_of(edition, {"region": region}),
        }

    return (edition.pk, code), render


@api_view("collection")
def collection_list(request, name):
    collection = api.collection(name)
    if collection is None:
        raise NotFound(gettext("Not found."))
    edition = _edition(request)
    number = _page_number(request)
    return (name, edition.pk, number), lambda: _page(
        request, collection.rows(edition), collection.item, number
    )


@api_view("collection-item")
def collection_detail(request, name, slug):
    collection = api.collection(name)
    if collection is None:
        raise NotFound(gettext("Not found."))

    def render():
        row = collection.find(slug)
        if row is None:
            raise NotFound
        return collection.item(row)

    return (name, slug), render


@public_read
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
def openapi_document(request):
    response = JsonResponse(openapi.document(), json_dumps_params={"indent": 1})
    return response


@method_decorator(caching.whole_page, name="dispatch")
class ApiPageView(TemplateView):
    """For people: the feeds and the API, what each holds and where."""

    template_name = "events/api.html"

    def get_context_data(self, **kwargs):
        edition = Edition.objects.current()
        base = self.request.build_absolute_uri("/").rstrip("/")
        urls = {
            "schedule_xml": reverse("events:schedule_feed", args=["xml"]),
            "schedule_json": reverse("events:schedule_feed", args=["json"]),
            "calendar": reverse("events:calendar"),
            "openapi": reverse("events:openapi"),
            "editions": reverse("events:api_editions"),
            "events": reverse("events:api_collection", args=["events"]),
            "programme": reverse("events:api_programme"),
            "regions": reverse("events:api_regions"),
        }
        if api.collection("activations"):
            urls["activations"] = reverse("events:api_collection", args=["activations"])
        if edition:
            urls["edition_xml"] = reverse(
                "events:edition_schedule", args=[edition.year, "xml"]
            )
        return super().get_context_data(
            edition=edition,
            base=base,
            urls=urls,
            page_size=PAGE_SIZE,
            **kwargs,
        )
