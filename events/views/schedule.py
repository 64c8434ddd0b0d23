"""The week's schedule, whole and by day, with its filters."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.generic import TemplateView

from .. import caching, entries, programme, search
from ..forms import ScheduleFilterForm
from ..models import Edition, Event, Organiser, Speaker
from ..page_state import page_state
from .base import CurrentEditionMixin, feed_links

SCHEDULE_PARAMS = {
    "q": caching.text(),
    "day": caching.ISO_DATE,
    "kind": entries.is_kind,  # read per request: sources register at start-up
    "format": caching.one_of(Event.Format.choices),
    "region": caching.REGION_CODE,
}


@method_decorator(caching.whole_page(params=SCHEDULE_PARAMS), name="dispatch")
class ScheduleView(CurrentEditionMixin, TemplateView):
    """The programme grouped by day; the rendered list is cached per filter."""

    template_name = "events/event_list.html"
    day = None

    def get(self, request, *args, **kwargs):
        # The filter form sent without JavaScript names every field, empty or not:
        # "?q=&day=&kind=online". One short address per choice, to share and cache.
        if any(value == "" for value in request.GET.values()):
            chosen = [(name, value) for name, value in request.GET.items() if value]
            return redirect(request.path + (f"?{urlencode(chosen)}" if chosen else ""))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("day", None)  # the URL's day is self.day
        form = ScheduleFilterForm(self.request.GET or None, edition=self.edition)
        if self.day:
            del form.fields["day"]
        filters = form.active_filters() if form.is_bound else {}
        chosen_in_form = len(filters)
        if self.day:
            filters["day"] = self.day.isoformat()
        programme_html, count = self.render_programme(filters, form, chosen_in_form)
        return super().get_context_data(
            edition=self.edition,
            form=form,
            day=self.day,
            filters=filters,
            chosen_in_form=chosen_in_form,
            programme_html=programme_html,
            count=count,
            calendar_feed=self.calendar_feed(filters),
            **kwargs,
        )

    def calendar_feed(self, filters: dict) -> dict:
        """Links to the feed of what the page shows: download and subscribe."""
        url = reverse("events:calendar")
        if filters:
            url += "?" + urlencode(filters)
        return feed_links(self.request, url)

    def render_programme(self, filters: dict, form, chosen: int) -> tuple[str, int]:
        """The rendered list and how many entries it holds."""

        def render():
            cleaned = dict(form.cleaned_data) if form.is_bound else {}
            if self.day:
                cleaned["day"] = self.day
            listed = programme.filtered_events(self.edition, cleaned)
            html = render_to_string(
                "events/includes/programme.html",
                {
                    "speakers": self.speakers_found(cleaned.get("q")),
                    "organisers": self.organisers_found(cleaned.get("q")),
                    "days": programme.by_day(self.edition, listed, only_day=self.day),
                    "count": len(listed),
                    # The day of the address is where the visitor is, not a filter.
                    "is_filtered": bool(chosen),
                    "day": self.day,
                    "edition": self.edition,
                },
            )
            return html, len(listed)

        # The week's page filtered to a day and that day's own page share filters
        # but not their words: only on the first is the day a filter to reset.
        parts = (self.edition.pk, get_language(), self.day, sorted(filters.items()))
        return caching.get_or_render(
            "schedule-list",
            parts,
            render,
            settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
            revision=page_state(self.request).revision,
        )

    def speakers_found(self, query: str | None) -> list:
        """The edition's speakers a text search names: their cards head the
        results, linked to their pages."""
        if not query:
            return []
        speakers = Speaker.objects.filter(
            events__in=Event.objects.published().of_edition(self.edition)
        ).distinct()
        return search.speakers_matching(speakers.order_by("name"), query)

    def organisers_found(self, query: str | None) -> list:
        """The edition's organising bodies a text search names, as the speakers."""
        if not query:
            return []
        organisers = Organiser.objects.filter(
            events__in=Event.objects.published().of_edition(self.edition)
        ).distinct()
        return search.organisers_matching(organisers, query)


class ScheduleDayView(ScheduleView):
    def get_edition(self):
        day = self.kwargs["day"]
        edition = Edition.objects.filter(first_day__lte=day, last_day__gte=day).first()
        if edition is None:
            raise Http404("That day is not part of Quality Week")
        return edition

    def dispatch(self, request, *args, **kwargs):
        self.day = kwargs["day"]
        return super().dispatch(request, *args, **kwargs)
