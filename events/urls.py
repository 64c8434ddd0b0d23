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
    path("materials/", views.MaterialListView.as_view(), name="materials"),
    path(
        "materials/<int:pk>/download/",
        views.material_download,
        name="material_download",
    ),
]
