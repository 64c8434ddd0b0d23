"""The winners' pages for search engines: the list, and each winner whose
consent to publish is in force."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Winner


class WinnerPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return ["winners:list"]

    def location(self, item):
        return reverse(item)


class WinnerSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return Winner.objects.published().order_by("pk")

    def lastmod(self, winner):
        return winner.updated_at


sitemaps = {"winner-pages": WinnerPagesSitemap, "winners": WinnerSitemap}
