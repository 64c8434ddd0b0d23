"""The site's own pages: policy, health, robots, and the refusals in its design."""

import hashlib
import json
import mimetypes
import posixpath

from csp.constants import NONE
from csp.decorators import csp
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import personal_data


class PrivacyView(TemplateView):
    """The policy names every purpose from the registry that erasure uses."""

    template_name = "privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sections=personal_data.policy_sections(), **kwargs
        )


@never_cache
def healthz(request):
    """For load balancers and monitors: 200 while the database answers (the site
    can serve), 503 when it does not; the body names each part's state, so a
    cache that is down shows without taking the host out of the pool."""
    states = {"database": _database_answers(), "cache": _cache_answers()}
    body = "".join(
        f"{part}: {'ok' if answers else 'unavailable'}\n"
        for part, answers in states.items()
    )
    return HttpResponse(
        body,
        status=200 if states["database"] else 503,
        content_type="text/plain; charset=utf-8",
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    if hasattr(cache, "is_available"):
        return cache.is_available()
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:  # whatever a cache backend raises when it is down
        return False


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


# Shown in the page; every other type of file downloads, so that an uploaded
# SVG or HTML cannot run in the site's origin.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


# Files that have a door of their own, which checks whether they are published:
# the brand kit downloads through /materials/<id>/download/, a contest winner's
# photo through /winners/<id>/photo.jpg while the consent to publish is in force
# (the signed consents only through the admin).
UNLISTED_PREFIXES = ("materials/", "winners/")


def is_plain_media_name(name: str) -> bool:
    """Whether a requested name is spelled as the storage writes names: relative,
    slash-separated, with no empty, "." or ".." segment, no backslash and nothing
    still percent-encoded (stored names never hold "%"). Only such a name is
    checked against the unlisted prefixes, so "./materials/x" or "a/../materials/x"
    cannot walk past the check to the same file."""
    return (
        bool(name)
        and not name.startswith("/")
        and not any(character in name for character in "\\%\x00")
        and posixpath.normpath(name) == name
        and ".." not in name.split("/")
    )


@require_safe
# What a visitor uploaded never runs on this origin, even opened on its own
# (deploy/nginx.conf sends the same for the files it serves itself).
@csp({"default-src": NONE, "sandbox": True})
def media(request, name):
    """An uploaded file from the configured storage (disk or S3), on every host."""
    if not is_plain_media_name(name):
        raise Http404("Not a stored file's name")
    if name.lower().startswith(UNLISTED_PREFIXES):
        raise Http404("Served by its own page")
    try:
        file = default_storage.open(name, "rb")
    # ValueError: a NUL in the name ("embedded null byte"), which no file has.
    except (SuspiciousFileOperation, OSError, ValueError) as error:
        raise Http404("No such file") from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        file,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Names are random and never reused: a file at a name never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    # Validators, so that nginx's copy (deploy/nginx.conf) is asked about again
    # cheaply, and a deleted file (an erased photo) leaves it within minutes.
    modified = _modified_time(file, name)
    if modified is not None:
        timestamp = int(modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
        response["ETag"] = quote_etag(
            hashlib.sha256(f"{name}:{timestamp}".encode()).hexdigest()[:20]
        )
        answer = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=timestamp,
            response=response,
        )
        if answer is not response:
            file.close()
            return answer
    return response


def _modified_time(file, name: str):
    """When the stored file was written, or None where the storage cannot say."""
    s3_object = getattr(file, "obj", None)  # an S3 file has read its own already
    try:
        if s3_object is not None:
            return s3_object.last_modified
        return default_storage.get_modified_time(name)
    except Exception:  # a storage's own errors (botocore's, OSError…)
        return None


def csrf_failure(request, reason=""):
    """A refused form in the site's own design and language, not Django's page."""
    return render(request, "403_csrf.html", status=403)


def favicon(request):
    """Browsers and the admin ask for /favicon.ico: the logo answers."""
    return redirect(static("img/logo.svg"), permanent=True)


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def web_manifest(request):
    """The name and icons a phone gives the site saved to its home screen, in the
    language of the page that links it."""
    icons = [
        {"src": static(f"img/favicon-{size}.png"), "sizes": f"{size}x{size}"}
        for size in (192, 512)
    ]
    manifest = {
        "name": gettext("World Quality Week"),
        "short_name": gettext("Quality Week"),
        "lang": get_language(),
        "start_url": reverse("events:home"),
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": "#0b1f45",
        "icons": [{**icon, "type": "image/png"} for icon in icons]
        + [{"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(
        json.dumps(manifest, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )
