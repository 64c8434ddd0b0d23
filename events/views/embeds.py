"""The compact programme views partners' sites frame: a region's, a day's, a kind's."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.generic import TemplateView

from .. import caching, embeds, entries, programme
from ..models import Edition, Region
from .base import CurrentEditionMixin


@method_decorator(embeds.framable, name="dispatch")
@method_decorator(caching.whole_page, name="dispatch")
class EmbedView(CurrentEditionMixin, TemplateView):
    """The programme's entries that pass `filters()`, by day, without JavaScript:
    every link opens the site's own page in a new tab."""

    template_name = "events/embed.html"

    def filters(self) -> dict:
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def full_url(self) -> str:
        """The site's own page of the same programme."""
        raise NotImplementedError

    def zone(self) -> str:
        """A region's time zone, shown beside Moscow time."""
        return ""

    def get_context_data(self, **kwargs):
        filters = self.filters()
        listed = programme.filtered_events(self.edition, filters)
        return super().get_context_data(
            edition=self.edition,
            heading=self.heading(),
            days=programme.by_day(self.edition, listed, only_day=filters.get("day")),
            zone=self.zone(),
            full_url=self.full_url(),
            **kwargs,
        )


class EmbedRegionView(EmbedView):
    @cached_property
    def region(self):
        return get_object_or_404(Region, code=self.kwargs["code"])

    def filters(self):
        return {"region": self.region}

    def zone(self):
        return self.region.time_zone

    def heading(self):
        return self.region.name_i18n

    def full_url(self):
        return self.region.get_absolute_url()


class EmbedDayView(EmbedView):
    def get_edition(self):
        day = self.kwargs["day"]
        edition = Edition.objects.filter(first_day__lte=day, last_day__gte=day).first()
        if edition is None:
            raise Http404("That day is not part of Quality Week")
        return edition

    def filters(self):
        return {"day": self.kwargs["day"]}

    def heading(self):
        return formats.date_format(self.kwargs["day"], "l, j E Y")

    def full_url(self):
        return reverse("events:schedule_day", kwargs={"day": self.kwargs["day"]})


class EmbedKindView(EmbedView):
    def filters(self):
        # Sources register their kinds at start-up: asked per request.
        if not entries.is_kind(self.kwargs["kind"]):
            raise Http404("No such kind in the programme")
        return {"kind": self.kwargs["kind"]}

    def heading(self):
        labels = dict(entries.kind_choices())
        return str(labels.get(self.kwargs["kind"], gettext("Programme")))

    def full_url(self):
        return reverse("events:schedule") + f"?kind={self.kwargs['kind']}"
