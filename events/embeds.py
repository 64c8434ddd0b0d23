"""The programme in a frame on partners' sites: a regional ministry's, a venue's.

Every page of the site refuses to be framed (CSP `frame-ancestors 'none'` and
`X-Frame-Options: DENY`). The embed views alone let the sites that organisers
list in the admin (`EmbedOrigin`) frame them; the list is read at the programme
revision, which an edit of it raises, so a cached page never carries an old one.
"""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from qualityweek import links

from . import caching
from .models import EmbedOrigin, Region
from .page_state import page_state

# The frame's height in the snippet, in pixels: some ten rows; it scrolls beyond.
HEIGHT = 600


def allowed_origins(request) -> list[str]:
    """The sites that may frame the embeds, read once a revision."""
    return caching.get_or_render(
        "embed-origins",
        (),
        lambda: list(EmbedOrigin.objects.values_list("origin", flat=True)),
        settings.QUALITYWEEK_PROGRAMME_CACHE_SECONDS,
        revision=page_state(request).programme_revision(),
    )


def framable(view):
    """Let the listed sites frame the view's pages, and no other. Outside any page
    cache: the response it keeps has no headers of its own."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = allowed_origins(request)
        if origins:
            # What django-csp's `csp_replace` decorator sets, with the list of now.
            response._csp_replace = {"frame-ancestors": origins}
            # Browsers that know CSP follow frame-ancestors; the header would
            # deny every site, the listed ones too.
            response.xframe_options_exempt = True
        return response

    return wrapped


def region_url(region: Region) -> str:
    return reverse("events:embed_region", kwargs={"code": region.code})


def snippet(url: str, title: str) -> str:
    """The HTML a partner pastes into a page of its site to show the embed: text
    to show, so a page escapes it like any other."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" '
        f'height="{HEIGHT}" loading="lazy"></iframe>'
    )


def region_snippet(region: Region) -> str:
    """The snippet of a region's embed, with the site's address."""
    title = gettext("World Quality Week: %(region)s") % {"region": region.name_i18n}
    return snippet(links.absolute(region_url(region)), title)
