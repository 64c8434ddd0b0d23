"""The programme's public pages and feeds, one module a kind of page."""

from .certificates import certificate_check, certificate_pdf
from .embeds import EmbedDayView, EmbedKindView, EmbedRegionView
from .event import EventDetailView, event_registration_state
from .feeds import calendar_feed, event_ics, programme_calendar, region_ics
from .home import HomeView, home_state, programme_moment, regional_day_state
from .materials import MaterialListView, material_download
from .people import OrganiserDetailView, SpeakerDetailView, SpeakerListView
from .regions import (
    RegionDetailView,
    RegionListView,
    region_invitation_pdf,
    region_results_pdf,
    region_results_xlsx,
)
from .schedule import ScheduleDayView, ScheduleView

__all__ = [
    "EmbedDayView",
    "EmbedKindView",
    "EmbedRegionView",
    "EventDetailView",
    "HomeView",
    "MaterialListView",
    "OrganiserDetailView",
    "RegionDetailView",
    "RegionListView",
    "ScheduleDayView",
    "ScheduleView",
    "SpeakerDetailView",
    "SpeakerListView",
    "calendar_feed",
    "certificate_check",
    "certificate_pdf",
    "event_ics",
    "event_registration_state",
    "home_state",
    "material_download",
    "programme_calendar",
    "programme_moment",
    "region_ics",
    "region_invitation_pdf",
    "region_results_pdf",
    "region_results_xlsx",
    "regional_day_state",
]
