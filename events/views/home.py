"""The home page: the current edition, what is on now and the call to register."""

import bisect

from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from qualityweek import clock, seo

from .. import caching, live, participation, programme, structured_data
from ..models import Edition, Event, Organiser, Region
from ..page_state import page_state
from .base import CurrentEditionMixin, _current_edition, _revision


def regional_day_state(request, **kwargs) -> str:
    """Where the current regional day's registration stands, read once a request:
    the home page's call to register shows it, so a copy is cached per state."""

    def read():
        event = (
            Event.objects.published()
            .filter(edition=Edition.objects.current_pk(), kind=Event.Kind.REGIONAL_DAY)
            .select_related("consent_text")
            .first()
        )
        return live.availability(event) if event else ""

    return page_state(request).remember("regional_day_state", read)


def programme_moment(request, **kwargs) -> int | None:
    """Which of the week's moments (events starting or ending) have passed, by
    the site clock: what is on now and next changes only when this does, so a
    page showing them is cached per answer. No query past the cache: the moments
    are kept per programme revision."""
    edition = _current_edition(request)
    today = clock.today()
    if edition is None or not edition.first_day <= today <= edition.last_day:
        return None
    boundaries = caching.get_or_render(
        "moments",
        (edition.pk,),
        lambda: programme.moments(edition),
        settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
        revision=_revision(request),
    )
    return bisect.bisect_right(boundaries, clock.now())


def home_state(request, **kwargs) -> tuple:
    """What the home page shows live: the regional day's registration, and what
    is on now and next."""
    return regional_day_state(request), programme_moment(request)


def streaming_now(now_and_next) -> list[Event]:
    """The streamed events (online or hybrid, with a stream link) on now."""
    if now_and_next is None:
        return []
    on = now_and_next.now + now_and_next.ongoing
    return [event for event in on if event.is_online and event.stream_url]


@method_decorator(caching.whole_page(live=home_state), name="dispatch")
class HomeView(CurrentEditionMixin, TemplateView):
    template_name = "events/edition_detail.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
        now_and_next = programme.now_and_next(edition, clock.now())
        highlights = list(
            Event.objects.published()
            .of_edition(edition)
            .highlights()
            .select_related("venue__region", "region", "parent")
        )
        by_kind = {}
        for event in highlights:
            by_kind.setdefault(event.kind, event)
        organisers = list(Organiser.objects.filter(events__edition=edition).distinct())
        days = programme.by_day(edition, highlights, keep_empty=True)
        in_schedule = programme.entries_by_day(edition)
        for day in days:
            day.in_schedule = in_schedule.get(day.date, 0)
        return super().get_context_data(
            edition=edition,
            days=days,
            forum=by_kind.get(Event.Kind.FORUM),
            quality_day_event=by_kind.get(Event.Kind.QUALITY_DAY),
            regional_day=by_kind.get(Event.Kind.REGIONAL_DAY),
            regional_day_state=regional_day_state(self.request),
            now_and_next=now_and_next,
            # Streamed events on now open the page (cached per programme_moment,
            # which turns at every start and end).
            streaming=streaming_now(now_and_next),
            awards=by_kind.get(Event.Kind.AWARDS),
            organisers=organisers,
            ideas=list(edition.ideas.all()),
            taking_part=self.taking_part(edition),
            structured_data=seo.script_json(
                structured_data.edition_data(self.request, edition, organisers)
            ),
            **kwargs,
        )

    def taking_part(self, edition: Edition) -> dict:
        """What the home page counts: the regions, and the features' figures."""
        return {
            "regions": Region.objects.taking_part(edition).count(),
            "figures": participation.headline_figures(edition),
        }
