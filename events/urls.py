import datetime

from django.urls import path, register_converter

from . import views
from .views import api, frab


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:  # 2023-02-30: not a date, so no such page
            raise ValueError(value) from error

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


class RegionCodeConverter:
    regex = r"\d{2}"  # the official two-digit code: "43", never "043" or "kirov"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class YearConverter:
    regex = r"\d{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class FrabFormatConverter:
    regex = r"xml|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(IsoDateConverter, "isodate")
register_converter(FrabFormatConverter, "frabformat")
register_converter(YearConverter, "year")
register_converter(RegionCodeConverter, "regioncode")

app_name = "events"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("schedule/", views.ScheduleView.as_view(), name="schedule"),
    path(
        "schedule/<isodate:day>/", views.ScheduleDayView.as_view(), name="schedule_day"
    ),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("events/<slug:slug>.ics", views.event_ics, name="ics"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    # frab's formats, which conference apps read.
    path("schedule.<frabformat:kind>", frab.schedule_feed, name="schedule_feed"),
    path(
        "<year:year>/schedule.<frabformat:kind>",
        frab.edition_schedule_feed,
        name="edition_schedule",
    ),
    path("api/", api.ApiPageView.as_view(), name="api"),
    path("api/openapi.json", api.openapi_document, name="openapi_contract"),
    path("api/v1/openapi.json", api.openapi_document, name="openapi"),
    path("api/v1/editions/", api.edition_list, name="api_editions"),
    path("api/v1/editions/<year:year>/", api.edition_detail, name="api_edition"),
    path("api/v1/programme/", api.programme_list, name="api_programme"),
    path("api/v1/regions/", api.region_list, name="api_regions"),
    path("api/v1/regions/<regioncode:code>/", api.region_detail, name="api_region"),
    path("api/v1/<slug:name>/", api.collection_list, name="api_collection"),
    path(
        "api/v1/<slug:name>/<slug:slug>/",
        api.collection_detail,
        name="api_collection_item",
    ),
    path("regions/", views.RegionListView.as_view(), name="regions"),
    path("regions/<regioncode:code>/", views.RegionDetailView.as_view(), name="region"),
    path("regions/<regioncode:code>.ics", views.region_ics, name="region_ics"),
    path("speakers/", views.SpeakerListView.as_view(), name="speakers"),
    path("speakers/<int:pk>/", views.SpeakerDetailView.as_view(), name="speaker_by_pk"),
    path("speakers/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker"),
    path(
        "organisers/<int:pk>/",
        views.OrganiserDetailView.as_view(),
        name="organiser_by_pk",
    ),
    path(
        "organisers/<slug:slug>/",
        views.OrganiserDetailView.as_view(),
        name="organiser",
    ),
    path(
        "regions/<regioncode:code>/results.pdf",
        views.region_results_pdf,
        name="region_results_pdf",
    ),
    path(
        "regions/<regioncode:code>/results.xlsx",
        views.region_results_xlsx,
        name="region_results_xlsx",
    ),
    path(
        "regions/<regioncode:code>/invitation.pdf",
        views.region_invitation_pdf,
        name="region_invitation",
    ),
    path("materials/", views.MaterialListView.as_view(), name="materials"),
    path("certificates/<str:code>/", views.certificate_check, name="certificate"),
    path(
        "certificates/pdf/<str:signed>/",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    # Compact views for partners' sites to frame (events.embeds).
    path(
        "embed/regions/<regioncode:code>/",
        views.EmbedRegionView.as_view(),
        name="embed_region",
    ),
    path("embed/days/<isodate:day>/", views.EmbedDayView.as_view(), name="embed_day"),
    path("embed/kinds/<slug:kind>/", views.EmbedKindView.as_view(), name="embed_kind"),
    path(
        "materials/<int:pk>/download/",
        views.material_download,
        name="material_download",
    ),
]
