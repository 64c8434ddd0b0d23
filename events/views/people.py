"""Speakers' and organising bodies' pages: who they are, and their events of
this edition and the earlier ones."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from qualityweek import seo

from .. import caching, programme, structured_data
from ..models import Edition, Event, Organiser, Speaker
from .base import CurrentEditionMixin


def with_published_events(model, field: str):
    """Rows of `model` (Speaker, Organiser) that some published event names in
    its `field`: nobody gets a page before their programme is public."""
    events = Event.objects.published().filter(**{field: OuterRef("pk")})
    return model.objects.filter(Exists(events))


def events_by_edition(events) -> list[tuple[Edition, list]]:
    """The events laid out by day, each edition's apart, the latest first."""
    editions: dict[int, tuple[Edition, list]] = {}
    for event in events:
        editions.setdefault(event.edition_id, (event.edition, []))[1].append(event)
    return [
        (edition, programme.by_day(edition, listed))
        for edition, listed in sorted(
            editions.values(), key=lambda pair: pair[0].first_day, reverse=True
        )
    ]


class PersonDetailMixin:
    """A page found by its address, or by its number while it has none; the
    number of a row that has an address redirects there."""

    events_field = ""  # the field of Event that names them
    schema_org = staticmethod(lambda request, row: None)  # its schema.org data

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if "pk" in kwargs and self.object.slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_object(self, queryset=None):
        rows = with_published_events(self.model, self.events_field)
        if "pk" in self.kwargs:
            rows = rows.filter(pk=self.kwargs["pk"])
        else:
            rows = rows.filter(slug=self.kwargs["slug"])
        row = rows.first()
        if row is None:
            raise Http404("No such page")
        return row

    def get_context_data(self, **kwargs):
        events = (
            Event.objects.published()
            .filter(**{self.events_field: self.object})
            .for_schedule()
            .select_related("edition", "parent")
            .order_by("start", "end", "title")
        )
        data = self.schema_org(self.request, self.object)
        return super().get_context_data(
            editions=events_by_edition(events),
            structured_data=seo.script_json(data) if data else "",
            **kwargs,
        )


@method_decorator(caching.whole_page, name="dispatch")
class SpeakerDetailView(PersonDetailMixin, DetailView):
    model = Speaker
    events_field = "speakers"
    schema_org = staticmethod(structured_data.speaker_data)
    template_name = "events/speaker_detail.html"
    context_object_name = "speaker"


@method_decorator(caching.whole_page, name="dispatch")
class OrganiserDetailView(PersonDetailMixin, DetailView):
    model = Organiser
    events_field = "organisers"
    schema_org = staticmethod(structured_data.organiser_data)
    template_name = "events/organiser_detail.html"
    context_object_name = "organiser"


@method_decorator(caching.whole_page, name="dispatch")
class SpeakerListView(CurrentEditionMixin, ListView):
    """The speakers of the current edition's published programme."""

    template_name = "events/speaker_list.html"
    context_object_name = "speakers"

    def get_queryset(self):
        events = Event.objects.published().filter(
            edition=self.edition, speakers=OuterRef("pk")
        )
        return Speaker.objects.filter(Exists(events)).order_by("name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.edition, **kwargs)
