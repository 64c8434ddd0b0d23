"""The winners' pages for search engines: the lists, and each winner whose
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
        # The list of the current edition, and each edition's list that shows
        # a winner (an edition whose winners all withdrew leaves the sitemap).
        years = Winner.objects.published().edition_years()
        return [("winners:list", None)] + [("winners:edition", year) for year in years]

    def location(self, item):
        name, year = item
        return reverse(name, args=[year] if year else [])


class WinnerSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return Winner.objects.published().order_by("pk")

    def lastmod(self, winner):
        return winner.updated_at


sitemaps = {"winner-pages": WinnerPagesSitemap, "winners": WinnerSitemap}
