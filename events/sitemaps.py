from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Edition, Event, Region


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
            "activations:list",
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


class EventSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        # Demo sessions show how the site works; they are not for search engines.
        return Event.objects.published().filter(is_demo=False).order_by("pk")

    def lastmod(self, event):
        return event.updated_at


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


class ActivationSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        from activations.models import Activation

        return Activation.objects.approved().order_by("pk")

    def lastmod(self, activation):
        return activation.updated_at


sitemaps = {
    "pages": PagesSitemap,
    "days": ScheduleDaySitemap,
    "events": EventSitemap,
    "regions": RegionSitemap,
    "activations": ActivationSitemap,
}
