"""What shared links and search engines read: canonical addresses, Open Graph
images and schema.org data. Everything here depends on the request's address and
language only, never on the visitor, because whole pages are cached per URL."""

import json

from django.conf import settings
from django.templatetags.static import static

# Open Graph names a locale with its territory.
OG_LOCALES = {"ru": "ru_RU", "en": "en_GB"}
DEFAULT_IMAGE_SIZE = (1200, 630)


def absolute_url(request, url: str) -> str:
    """`url` on this site's host, unless a storage has made it absolute already."""
    return request.build_absolute_uri(url)


def canonical_url(request) -> str:
    """The page's address without its query: filtered views of a list are the
    list, and tracking tags are nothing."""
    return request.build_absolute_uri(request.path)


def default_image_url(request, language: str) -> str:
    """The site's own picture for shared links, in the page's language."""
    if language not in OG_LOCALES:
        language = settings.LANGUAGE_CODE
    return absolute_url(request, static(f"img/og-default.{language}.png"))


def og_locales(language: str) -> tuple[str, list[str]]:
    current = OG_LOCALES.get(language, OG_LOCALES[settings.LANGUAGE_CODE])
    return current, [locale for locale in OG_LOCALES.values() if locale != current]


def script_json(data) -> str:
    """JSON for an inline `<script type="application/ld+json">`, escaped as
    json_script does: the text cannot close the element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
