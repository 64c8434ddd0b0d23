"""The site's own pages: policy, health, robots, and the refusals in its design."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView


class PrivacyView(TemplateView):
    template_name = "privacy.html"


@never_cache
def healthz(request):
    """200 when the app and its database answer, for load balancers and monitors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


# Pages that carry a token or a person's data: never indexed, in either language.
PRIVATE_PREFIXES = ["/admin/", "/checkin/", "/registrations/", "/activations/edit/"]


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *"]
    for prefix in PRIVATE_PREFIXES:
        lines += [f"Disallow: {prefix}", f"Disallow: /en{prefix}"]
    lines.append(f"Sitemap: {sitemap}")
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


def csrf_failure(request, reason=""):
    """A refused form in the site's own design and language, not Django's page."""
    return render(request, "403_csrf.html", status=403)


def favicon(request):
    """Browsers and the admin ask for /favicon.ico: the logo answers."""
    return redirect(static("img/logo.svg"), permanent=True)
