from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from activations.sitemaps import sitemaps as activation_sitemaps
from events.sitemaps import sitemaps as programme_sitemaps
from winners.sitemaps import sitemaps as winner_sitemaps

from . import metrics, readiness
from . import views as site_views

# The site's own pages, which read nothing that may be failing (qualityweek.errors).
handler400 = "qualityweek.errors.bad_request"
handler500 = "qualityweek.errors.server_error"

admin.site.site_header = _("Quality Week: organisers")
admin.site.site_title = _("Quality Week")
admin.site.index_title = _("Programme, registrations and applications")

# Each app names its pages for search engines; the programme's sources bring theirs.
sitemaps = {**programme_sitemaps, **activation_sitemaps, **winner_sitemaps}

urlpatterns = [
    path("healthz", site_views.healthz, name="healthz"),
    path("readyz", readiness.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("favicon.ico", site_views.favicon, name="favicon"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    # Uploads from the configured storage, on every host (nginx may cache them).
    path("media/<path:name>", site_views.media, name="media"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("privacy/", site_views.PrivacyView.as_view(), name="privacy"),
    path("site.webmanifest", site_views.web_manifest, name="web_manifest"),
    path("", include("events.urls")),
    path("", include("registrations.urls")),
    path("", include("activations.urls")),
    path("", include("venues.urls")),
    path("", include("myweek.urls")),
    path("", include("surveys.urls")),
    path("", include("winners.urls")),
    prefix_default_language=False,
)
