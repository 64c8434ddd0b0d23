import bisect
import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, Subquery
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe
from django.views.generic import DetailView, ListView, TemplateView

from activations.models import PROGRAMME_KIND, PROGRAMME_KIND_LABEL
from qualityweek import clock, downloads, seo
from registrations import services as registration_services
from venues.models import VenueApplication

from . import caching, ics, programme, structured_data
from .forms import CalendarFilterForm, ScheduleFilterForm
from .models import Edition, Event, Material, Organiser, Region, RegionalParticipation
from .templatetags.events_tags import daterange

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


def regional_day_state(request, **kwargs) -> str:
    """Where the current regional day's registration stands, read once a request:
    the home page's call to register shows it, so a copy is cached per state."""
    if not hasattr(request, "regional_day_state"):
        event = (
            Event.objects.published()
            .filter(edition=Edition.objects.current_pk(), kind=Event.Kind.REGIONAL_DAY)
            .select_related("consent_text")
            .first()
        )
        request.regional_day_state = (
            registration_services.availability(event) if event else ""
        )
    return request.regional_day_state


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


@method_decorator(caching.whole_page(live=home_state), name="dispatch")
class HomeView(CurrentEditionMixin, TemplateView):
    template_name = "events/edition_detail.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
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
            now_and_next=programme.now_and_next(edition, clock.now()),
            awards=by_kind.get(Event.Kind.AWARDS),
            organisers=organisers,
            taking_part=self.taking_part(edition),
            structured_data=seo.script_json(
                structured_data.edition_data(self.request, edition, organisers)
            ),
            **kwargs,
        )

    def taking_part(self, edition: Edition) -> dict:
        """What the home page counts: regions and companies' activations."""
        from activations.models import Activation

        return {
            "regions": Region.objects.taking_part(edition).count(),
            "activations": Activation.objects.approved().of_edition(edition).count(),
        }


SCHEDULE_PARAMS = {
    "q": caching.text(),
    "day": caching.ISO_DATE,
    "kind": caching.one_of(
        [*Event.Kind.choices, (PROGRAMME_KIND, PROGRAMME_KIND_LABEL)]
    ),
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
            events = programme.filtered_events(self.edition, cleaned)
            html = render_to_string(
                "events/includes/programme.html",
                {
                    "days": programme.by_day(self.edition, events, only_day=self.day),
                    "count": len(events),
                    # The day of the address is where the visitor is, not a filter.
                    "is_filtered": bool(chosen),
                    "day": self.day,
                    "edition": self.edition,
                },
            )
            return html, len(events)

        # The week's page filtered to a day and that day's own page share filters
        # but not their words: only on the first is the day a filter to reset.
        parts = (self.edition.pk, get_language(), self.day, sorted(filters.items()))
        return caching.get_or_render(
            "schedule-list",
            parts,
            render,
            settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
            revision=getattr(self.request, "programme_revision", None),
        )


def feed_links(request, url: str) -> dict:
    """The links of `calendar_subscribe.html` to a feed: download and subscribe."""
    absolute_url = request.build_absolute_uri(url)
    return {
        "url": url,
        "absolute_url": absolute_url,
        "webcal_url": "webcal://" + absolute_url.split("://", 1)[1],
    }


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


def _event_state_query(slug):
    """The published event's seat fields, with the programme revision beside
    them (a page for an unknown event reads the revision apart)."""
    from qualityweek.models import ConsentText

    from .models import ProgrammeRevision

    registration_consent = ConsentText.objects.for_purpose(
        ConsentText.Purpose.REGISTRATION
    )
    revision = ProgrammeRevision.objects.filter(pk=1).values("number")
    return (
        Event.objects.published()
        .filter(slug=slug)
        .annotate(
            revision=Subquery(revision), default_consent=Exists(registration_consent)
        )
        .values_list("revision", *registration_services.SEAT_FIELDS, "default_consent")
    )


_EVENT_STATE = caching.PreparedQuery(_event_state_query)
_SEAT_ATTNAMES = [
    Event._meta.get_field(name).attname for name in registration_services.SEAT_FIELDS
]


def event_registration_state(request, slug: str) -> tuple[int, tuple | None]:
    """The programme revision, and what an event page shows live: where its
    registration stands and, while it takes sign-ups, the seats left, and whether
    it is on now. One small query for both: seat changes raise no programme
    revision, so the page is cached per answer."""
    rows = _EVENT_STATE.rows(slug=slug)
    if not rows:
        return caching.current_revision(), None
    revision, *values, default_consent = rows[0]
    revision = revision or 0  # no revision row yet: as current_revision() says
    event = Event(**dict(zip(_SEAT_ATTNAMES, values, strict=True)))
    has_consent = bool(event.consent_text_id or default_consent)
    return revision, (
        *registration_services.live_state(event, has_consent=has_consent),
        event.is_on_at(clock.now()),
    )


event_registration_state.reads_revision = True


@method_decorator(caching.whole_page(live=event_registration_state), name="dispatch")
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
        # Read once: the call to register shows it, and so do the offers of
        # the structured data.
        state = registration_services.availability(event)
        data = structured_data.event_data(self.request, event, state)
        return super().get_context_data(
            sessions_html=self.render_sessions(event),
            registration_state=state,
            on_now=event.is_on_at(clock.now()),
            structured_data=seo.script_json(data) if data else "",
            **kwargs,
        )

    def render_sessions(self, event: Event) -> str:
        """The event's sessions, rendered once per programme revision (a forum has
        hundreds); sessions have none of their own."""
        if event.parent_id:
            return ""

        def render():
            sessions = list(event.sessions.published().for_schedule())
            days = programme.by_day(event.edition, sessions)
            return render_to_string(
                "events/includes/session_list.html",
                {"days": days, "several_days": len(days) > 1},
            )

        return caching.get_or_render(
            "sessions",
            (event.pk, get_language()),
            render,
            settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
        )


def _current_edition(request) -> Edition | None:
    # Read once per request: the conditional-GET check and the view both need it.
    # Which edition is current changes with the date or an edit of editions
    # (which raises the revision): kept per both, a feed's hit reads no edition.
    if not hasattr(request, "current_edition"):
        request.current_edition = caching.get_or_render(
            "current-edition",
            (clock.today(),),
            Edition.objects.current,
            settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
            revision=_revision(request),
        )
    return request.current_edition


def _revision(request) -> int:
    """The programme revision, read once a request (the page cache may have)."""
    if not hasattr(request, "programme_revision"):
        request.programme_revision = _programme_state(request)[0]
    return request.programme_revision


def _programme_state(request) -> tuple[int, datetime.datetime | None]:
    if not hasattr(request, "programme_state"):
        request.programme_state = caching.current_state()
    return request.programme_state


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


@require_safe
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
        events = programme.filtered_events(edition, cleaned)
        return ics.build_calendar(events, name=name, description=description).to_ical()

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


@method_decorator(caching.whole_page, name="dispatch")
class RegionListView(CurrentEditionMixin, TemplateView):
    """The regions taking part in the current edition, by federal district."""

    template_name = "events/region_list.html"

    def get_context_data(self, **kwargs):
        regions = Region.objects.taking_part(self.edition).alphabetical()
        districts = {district: [] for district in Region.FederalDistrict}
        for region in regions:
            districts.setdefault(region.federal_district, []).append(region)
        return super().get_context_data(
            edition=self.edition,
            regions=regions,
            districts=[
                (Region.FederalDistrict(district).label if district else "", members)
                for district, members in districts.items()
                if members
            ],
            **kwargs,
        )


@method_decorator(caching.whole_page, name="dispatch")
class RegionDetailView(CurrentEditionMixin, TemplateView):
    """One region's part in the current edition: a page a regional ministry can
    send to its businesses. A region with nothing yet says so, still a page."""

    template_name = "events/region_detail.html"

    def get_context_data(self, **kwargs):
        region = get_object_or_404(Region, code=self.kwargs["code"])
        entries = programme.filtered_events(self.edition, {"region": region})
        events = [
            entry for entry in entries if not getattr(entry, "is_activation", False)
        ]
        activations = [
            entry for entry in entries if getattr(entry, "is_activation", False)
        ]
        venues = list(
            VenueApplication.objects.approved()
            .of_edition(self.edition)
            .in_region(region)
            .for_listing()
        )
        participation = RegionalParticipation.objects.filter(
            edition=self.edition, region=region
        ).first()
        return super().get_context_data(
            edition=self.edition,
            region=region,
            participation=participation,
            venues=venues,
            event_days=programme.by_day(self.edition, events),
            events_count=len(events),
            activation_days=programme.by_day(self.edition, activations),
            activations_count=len(activations),
            calendar_feed=feed_links(
                self.request, reverse("events:region_ics", args=[region.code])
            ),
            **kwargs,
        )


@require_safe
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


@method_decorator(caching.whole_page, name="dispatch")
class MaterialListView(CurrentEditionMixin, ListView):
    """The current edition's brand kit and information materials, and where to ask
    for more."""

    template_name = "events/material_list.html"
    context_object_name = "materials"

    def get_queryset(self):
        return Material.objects.published().of_edition(self.edition)

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.edition, **kwargs)


@require_safe
def material_download(request, pk):
    """A published material's file from the storage, named after its title."""
    material = get_object_or_404(Material.objects.published(), pk=pk)
    try:
        file = material.file.storage.open(material.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("The material's file is missing from the storage") from error
    filename = f"material-{material.pk}.{material.extension}"
    response = FileResponse(file, as_attachment=True, filename=filename)
    response["Content-Disposition"] = downloads.attachment(
        filename, downloads.download_name(material.title_i18n, material.extension)
    )
    return response
