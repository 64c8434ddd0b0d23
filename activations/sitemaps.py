"""The activations' own pages for search engines; each approved activation's
page comes with the programme's (`events.sitemaps.ProgrammeSitemap`)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class ActivationPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return ["activations:list"]

    def location(self, item):
        return reverse(item)


sitemaps = {"activation-pages": ActivationPagesSitemap}
