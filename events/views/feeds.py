"""The programme as calendar feeds: an event, the week, a region."""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from .. import caching, ics, programme
from ..forms import CalendarFilterForm
from ..models import Edition, Event, Region
from ..templatetags.events_tags import daterange
from .base import (
    CALENDAR_MAX_AGE,
    _current_edition,
    _event_etag,
    _feed_etag,
    _programme_changed_at,
    _programme_state,
)


@require_safe
@caching.kept_by_proxy
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
@condition(etag_func=_event_etag, last_modified_func=_programme_changed_at)
def event_ics(request, slug):
    """One published event as a calendar file."""
    event = get_object_or_404(
        Event.objects.published().for_schedule().select_related("edition"), slug=slug
    )
    calendar = ics.build_calendar(
        [event], name=event.title_i18n, description=event.edition.title_i18n
    )
    return ics.calendar_response(calendar, f"{event.slug}.ics", title=event.title_i18n)


@require_safe
@caching.kept_by_proxy
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
@condition(etag_func=_feed_etag, last_modified_func=_programme_changed_at)
def calendar_feed(request):
    """The current edition's published programme, with the schedule's filters."""
    edition = _current_edition(request)
    if edition is None:
        raise Http404("No edition yet")
    if not request.GET:
        # The whole week, the feed most subscribe to: no form to build.
        encoding, content = programme_calendar(request, edition, {}, {}, [])
        return ics.calendar_response(
            content,
            f"quality-week-{edition.year}.ics",
            title=edition.title_i18n,
            encoding=encoding,
        )
    form = CalendarFilterForm(request.GET, edition=edition)
    if not form.is_valid():
        # A subscription never quietly widens to the whole week: say what is wrong.
        lines = [gettext("This calendar link has a filter that cannot be used:")]
        lines += [
            f"{form.fields[name].label}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        return HttpResponseBadRequest(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
        )
    filters = form.active_filters()
    encoding, content = programme_calendar(
        request, edition, form.cleaned_data, filters, form.labels()
    )
    return ics.calendar_response(
        content,
        f"quality-week-{edition.year}.ics",
        title=edition.title_i18n,
        encoding=encoding,
    )


def programme_calendar(
    request, edition: Edition, cleaned: dict, filters: dict, labels: list[str]
) -> tuple[str, bytes]:
    """The edition's published programme through these filters, as iCalendar,
    rendered once per revision: `labels` name the filters in the calendar's name.
    The encoding the request takes (gzip or identity) and the bytes in it."""

    def render() -> bytes:
        name = edition.title_i18n
        if labels:
            name = gettext("%(calendar)s: %(filters)s") % {
                "calendar": name,
                "filters": " · ".join(labels),
            }
        description = gettext(
            "The programme of %(edition)s, %(dates)s. Details: %(url)s"
        ) % {
            "edition": edition.title_i18n,
            "dates": daterange(edition.first_day, edition.last_day),
            "url": settings.QUALITYWEEK_SITE_URL + reverse("events:schedule"),
        }
        listed = programme.filtered_events(edition, cleaned)
        return ics.build_calendar(listed, name=name, description=description).to_ical()

    revision, _changed_at = _programme_state(request)
    encoding, content, _content_type = caching.get_or_render_encoded(
        request,
        "calendar",
        (edition.pk, get_language(), sorted(filters.items())),
        render,
        ics.CONTENT_TYPE,
        revision=revision,
    )
    return encoding, content


@require_safe
@caching.kept_by_proxy
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
@condition(etag_func=_feed_etag, last_modified_func=_programme_changed_at)
def region_ics(request, code):
    """What `/regions/<code>/` shows, as a feed: the schedule's, for one region."""
    edition = _current_edition(request)
    if edition is None:
        raise Http404("No edition yet")
    region = get_object_or_404(Region, code=code)
    encoding, content = programme_calendar(
        request,
        edition,
        {"region": region},
        {"region": region.code},
        [region.name_i18n],
    )
    return ics.calendar_response(
        content,
        f"quality-week-{edition.year}-region-{region.code}.ics",
        title=f"{edition.title_i18n}: {region.name_i18n}",
        encoding=encoding,
    )
