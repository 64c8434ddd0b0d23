from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import clock, imprint, seo
from .models import DataOperator


def site(request):
    """What every page needs: the simulated clock for its banner, language links,
    the addresses shared links read, the personal data operator for the footer."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    locale, alternate_locales = seo.og_locales(current)
    return {
        "site_clock": clock.simulated_start(),
        "site_languages": languages,
        # Shared links and search engines: see base.html's social_meta block.
        "page_meta": {
            "canonical_url": seo.canonical_url(request),
            "default_language_url": next(
                language["url"]
                for language in languages
                if language["code"] == settings.LANGUAGE_CODE
            ),
            "image_url": seo.default_image_url(request, current),
            "image_width": seo.DEFAULT_IMAGE_SIZE[0],
            "image_height": seo.DEFAULT_IMAGE_SIZE[1],
            "locale": locale,
            "alternate_locales": alternate_locales,
        },
        # The footer names it on every page; read (from the cache) when shown.
        "data_operator": SimpleLazyObject(DataOperator.current),
        # And the current edition's official sites, once organisers list them.
        "official_sites": SimpleLazyObject(lambda: imprint.edition().official_sites),
        # The release (pyproject.toml), in the page's generator meta tag.
        "site_version": settings.QUALITYWEEK_VERSION,
    }
