import json

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from . import caching, programme
from .forms import ScheduleFilterForm
from .models import Edition, Event, Organiser


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


class HomeView(CurrentEditionMixin, TemplateView):
    template_name = "events/edition_detail.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
        highlights = list(
            Event.objects.published().of_edition(edition).highlights().for_schedule()
        )
        by_kind = {}
        for event in highlights:
            by_kind.setdefault(event.kind, event)
        return super().get_context_data(
            edition=edition,
            days=programme.by_day(edition, highlights, keep_empty=True),
            forum=by_kind.get(Event.Kind.FORUM),
            quality_day_event=by_kind.get(Event.Kind.QUALITY_DAY),
            regional_day=by_kind.get(Event.Kind.REGIONAL_DAY),
            awards=by_kind.get(Event.Kind.AWARDS),
            organisers=Organiser.objects.filter(events__edition=edition).distinct(),
            **kwargs,
        )


class ScheduleView(CurrentEditionMixin, TemplateView):
    """The programme grouped by day; the rendered list is cached per filter."""

    template_name = "events/event_list.html"
    day = None

    def get_context_data(self, **kwargs):
        kwargs.pop("day", None)  # the URL's day is self.day
        form = ScheduleFilterForm(self.request.GET or None, edition=self.edition)
        if self.day:
            del form.fields["day"]
        filters = form.active_filters() if form.is_bound else {}
        if self.day:
            filters["day"] = self.day.isoformat()
        return super().get_context_data(
            edition=self.edition,
            form=form,
            day=self.day,
            filters=filters,
            programme_html=self.render_programme(filters, form),
            **kwargs,
        )

    def render_programme(self, filters: dict, form) -> str:
        def render():
            cleaned = dict(form.cleaned_data) if form.is_bound else {}
            if self.day:
                cleaned["day"] = self.day
            events = programme.filtered_events(self.edition, cleaned)
            return render_to_string(
                "events/includes/programme.html",
                {
                    "days": programme.by_day(self.edition, events, only_day=self.day),
                    "count": len(events),
                    "is_filtered": bool(filters),
                },
            )

        parts = (self.edition.pk, get_language(), sorted(filters.items()))
        return caching.get_or_render(
            "schedule", parts, render, settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS
        )


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


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        events = Event.objects.for_schedule().select_related("edition")
        if self.request.user.is_staff:
            return events  # organisers preview unpublished events
        return events.published()

    def get_context_data(self, **kwargs):
        event = self.object
        return super().get_context_data(
            sessions=event.sessions.published().for_schedule(),
            structured_data=self.structured_data(event),
            **kwargs,
        )

    def structured_data(self, event: Event) -> str:
        """schema.org Event, for search engines."""
        attendance = {
            Event.Format.ONLINE: "OnlineEventAttendanceMode",
            Event.Format.OFFLINE: "OfflineEventAttendanceMode",
            Event.Format.HYBRID: "MixedEventAttendanceMode",
        }[event.format]
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title_i18n,
            "startDate": event.local_start.isoformat(),
            "endDate": event.local_end.isoformat(),
            "eventAttendanceMode": f"https://schema.org/{attendance}",
            "eventStatus": "https://schema.org/EventCancelled"
            if event.is_cancelled
            else "https://schema.org/EventScheduled",
            "url": self.request.build_absolute_uri(event.get_absolute_url()),
            "inLanguage": get_language(),
        }
        if event.summary_i18n or event.description_i18n:
            data["description"] = event.summary_i18n or event.description_i18n[:300]
        locations = []
        if event.venue:
            locations.append(
                {
                    "@type": "Place",
                    "name": event.venue.name_i18n,
                    "address": event.venue.address_i18n,
                }
            )
        if event.is_online and event.stream_url:
            locations.append({"@type": "VirtualLocation", "url": event.stream_url})
        if locations:
            data["location"] = locations[0] if len(locations) == 1 else locations
        organisers = [
            {
                "@type": "Organization",
                "name": organiser.name_i18n,
                "url": organiser.website,
            }
            for organiser in event.organisers.all()
        ]
        if organisers:
            data["organizer"] = organisers
        performers = [
            {"@type": "Person", "name": speaker.name_i18n}
            for speaker in event.speakers.all()
        ]
        if performers:
            data["performer"] = performers
        # Escaped like json_script: the text cannot close the <script> element.
        text = json.dumps(data, ensure_ascii=False)
        return (
            text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
        )


class PrivacyView(TemplateView):
    template_name = "privacy.html"


@never_cache
def healthz(request):
    """200 when the app and its database answer, for load balancers and monitors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /checkin/",
        "Disallow: /registrations/",
        "Disallow: /en/registrations/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
