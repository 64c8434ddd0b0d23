import datetime

from django.urls import path, register_converter

from . import views


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


register_converter(IsoDateConverter, "isodate")
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
    path("regions/", views.RegionListView.as_view(), name="regions"),
    path("regions/<regioncode:code>/", views.RegionDetailView.as_view(), name="region"),
    path("regions/<regioncode:code>.ics", views.region_ics, name="region_ics"),
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
    path(
        "materials/<int:pk>/download/",
        views.material_download,
        name="material_download",
    ),
]
