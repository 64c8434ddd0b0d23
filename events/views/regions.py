"""The regions taking part, and one region's part in the week."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from qualityweek import clock, downloads, permissions, spreadsheets

from .. import caching, embeds, programme, region_report
from ..models import Edition, Event, Region, RegionalParticipation
from ..participation import results as registered_results
from ..participation import sections as registered_sections
from .base import CurrentEditionMixin, feed_links


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
        own = programme.EventSource.label
        events = [entry for entry in entries if entry.source == own]
        activations = [entry for entry in entries if entry.source != own]
        sections = registered_sections(region, self.edition)
        participation = RegionalParticipation.objects.filter(
            edition=self.edition, region=region
        ).first()
        # The broadcast every region joins: its stream link on each region's page.
        regional_day = (
            Event.objects.published()
            .of_edition(self.edition)
            .filter(kind=Event.Kind.REGIONAL_DAY, is_cancelled=False)
            .filter(format__in=[Event.Format.ONLINE, Event.Format.HYBRID])
            .order_by("start")
            .first()
        )
        return super().get_context_data(
            regional_day=regional_day,
            edition=self.edition,
            region=region,
            participation=participation,
            sections=sections,
            sections_filled=any(section.items for section in sections),
            results=registered_results(region, self.edition),
            results_moment=clock.now(),
            event_days=programme.by_day(self.edition, events),
            events_count=len(events),
            activation_days=programme.by_day(self.edition, activations),
            activations_count=len(activations),
            calendar_feed=feed_links(
                self.request, reverse("events:region_ics", args=[region.code])
            ),
            # Organisers only: signed in, they get the page fresh, never cached.
            embed_snippet=(
                embeds.region_snippet(region)
                if permissions.is_organiser(
                    self.request.user, permission="events.view_embedorigin"
                )
                else ""
            ),
            **kwargs,
        )


def _region_of_current_edition(code: str) -> tuple[Region, Edition]:
    edition = Edition.objects.current()
    if edition is None:
        raise Http404("No edition yet")
    return get_object_or_404(Region, code=code), edition


def _download(content: bytes, content_type: str, filename: str, readable: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = downloads.attachment(filename, readable)
    return response


@never_cache  # counts of check-ins and answers move without a programme revision
def region_results_pdf(request, code):
    """What the region did during the week, for its ministry to publish."""
    region, edition = _region_of_current_edition(code)
    groups = registered_results(region, edition)
    return _download(
        region_report.report_pdf(region, edition, groups),
        "application/pdf",
        region_report.filename(region, edition, "results.pdf"),
        downloads.download_name(f"{region.name_i18n} {edition.year}", "pdf"),
    )


@never_cache
def region_results_xlsx(request, code):
    """The region's results as a workbook: a row per figure."""
    region, edition = _region_of_current_edition(code)
    groups = registered_results(region, edition)
    return _download(
        region_report.xlsx(region, edition, groups),
        spreadsheets.XLSX_TYPE,
        region_report.filename(region, edition, "results.xlsx"),
        downloads.download_name(f"{region.name_i18n} {edition.year}", "xlsx"),
    )


def region_invitation_pdf(request, code):
    """The letter a ministry downloads and sends to its region's businesses."""
    region, edition = _region_of_current_edition(code)
    return _download(
        region_report.invitation_pdf(region, edition),
        "application/pdf",
        region_report.filename(region, edition, "invitation.pdf"),
        downloads.download_name(f"{region.name_i18n} {edition.year}", "pdf"),
    )
