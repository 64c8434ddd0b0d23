"""One event's page, cached per state of its registration."""

import functools

from django.conf import settings
from django.db.models import Subquery
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.generic import DetailView

from qualityweek import clock, permissions, seo

from .. import caching, event_sections, live, programme, structured_data
from ..models import Event

# What the page itself reads live besides the provider's fields: is it on now.
_OWN_FIELDS = ("start", "end", "is_cancelled")


@functools.cache
def _layout(provider: live.Provider) -> tuple[list[str], list[str], list[str]]:
    """The fields the state query reads, their attribute names and the names of
    the provider's annotations: worked out once, not per request."""
    fields = list(dict.fromkeys((*_OWN_FIELDS, *provider.fields)))
    attnames = [Event._meta.get_field(name).attname for name in fields]
    return fields, attnames, list(provider.annotations())


def _event_state_query(slug):
    """The published event's live fields, with the programme revision beside
    them (a page for an unknown event reads the revision apart)."""
    from ..models import ProgrammeRevision

    fields, _attnames, _names = _layout(live.provider())
    revision = ProgrammeRevision.objects.filter(pk=1).values("number")
    annotations = live.provider().annotations()
    return (
        Event.objects.published()
        .filter(slug=slug)
        .annotate(revision=Subquery(revision), **annotations)
        .values_list("revision", *fields, *annotations)
    )


_EVENT_STATE = caching.PreparedQuery(_event_state_query)


def event_registration_state(request, slug: str) -> tuple[int, tuple | None]:
    """The programme revision, and what an event page shows live: where its
    registration stands and, while it takes sign-ups, the seats left (the
    registered `live.Provider`), and whether it is on now. One small query for
    both: seat changes raise no programme revision, so the page is cached per
    answer."""
    rows = _EVENT_STATE.rows(slug=slug)
    if not rows:
        return caching.current_revision(), None
    provider = live.provider()
    _fields, attnames, names = _layout(provider)
    revision, *values = rows[0]
    revision = revision or 0  # no revision row yet: as current_revision() says
    event = Event(**dict(zip(attnames, values[: len(attnames)], strict=True)))
    annotations = dict(zip(names, values[len(attnames) :], strict=True))
    return revision, (
        *provider.state(event, **annotations),
        event.is_on_at(clock.now()),
    )


event_registration_state.reads_revision = True


@method_decorator(caching.whole_page(live=event_registration_state), name="dispatch")
class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        events = Event.objects.for_schedule().select_related("edition")
        if permissions.may_preview(self.request.user):
            return events  # organisers preview unpublished events
        return events.published()

    def get_context_data(self, **kwargs):
        event = self.object
        # Read once: the call to register shows it, and so do the offers of
        # the structured data.
        state = live.availability(event)
        data = structured_data.event_data(self.request, event, state)
        return super().get_context_data(
            sessions_html=self.render_sessions(event),
            sections=event_sections.sections(event),
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
