"""The programme's pages for search engines; each app adds its own pages, and
the root URLconf composes them."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import entries
from .models import Edition, Event, Organiser, Region, Speaker


class PagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return [
            "events:home",
            "events:schedule",
            "events:regions",
            "events:materials",
            "privacy",
        ]

    def location(self, item):
        return reverse(item)


class ScheduleDaySitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        edition = Edition.objects.current()
        return edition.days() if edition else []

    def location(self, item):
        return reverse("events:schedule_day", kwargs={"day": item})


class ProgrammeSitemap(Sitemap):
    """The pages of what every programme source lists (events, activations…)."""

    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return entries.sitemap_items()

    def location(self, item):
        row, _lastmod = item
        return row.get_absolute_url()

    def lastmod(self, item):
        _row, lastmod = item
        return lastmod


class RegionSitemap(Sitemap):
    """The regions taking part in the current edition: the pages ministries share."""

    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        edition = Edition.objects.current()
        if edition is None:
            return []
        return Region.objects.taking_part(edition).order_by("code")


class PeopleSitemap(Sitemap):
    """Speakers' and organisers' pages: those a published event names, demo
    speakers left out (they are not for search engines)."""

    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        events = Event.objects.published().filter(is_demo=False)
        speakers = Speaker.objects.filter(
            is_demo=False, pk__in=events.values("speakers")
        ).order_by("pk")
        organisers = Organiser.objects.filter(
            pk__in=events.values("organisers")
        ).order_by("pk")
        return [*speakers, *organisers]


sitemaps = {
    "pages": PagesSitemap,
    "days": ScheduleDaySitemap,
    "programme": ProgrammeSitemap,
    "regions": RegionSitemap,
    "people": PeopleSitemap,
}
