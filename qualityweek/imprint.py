"""Who stands behind the site and its letters, as organisers set it.

The personal data operator is the site's own setting (`models.DataOperator`).
The edition's contact address (the letters' Reply-To) and the official sites it
points to belong to the programme: `events` registers where to read them, since
the ground imports no app. Until organisers set a value, nothing is shown.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache

from .models import DataOperator


@dataclass(frozen=True)
class OfficialSite:
    url: str

    @property
    def name(self) -> str:
        """The address as people read it: "rskrf.ru"."""
        host = urlsplit(self.url).hostname or self.url
        return host.removeprefix("www.")


@dataclass(frozen=True)
class EditionImprint:
    contact_email: str = ""
    official_sites: tuple[OfficialSite, ...] = ()


NOTHING_SET = EditionImprint()
CACHE_KEY = "qualityweek:edition-imprint"
# Saving an edition clears it; the timeout bounds what a per-process cache keeps
# elsewhere, and lets a new edition become the current one.
CACHE_SECONDS = 300

_provider: Callable[[], EditionImprint] | None = None


def register(provider: Callable[[], EditionImprint]) -> None:
    """Say where the current edition's imprint is read (from events' ready())."""
    global _provider
    _provider = provider


def forget() -> None:
    """Drop the cached imprint: organisers changed an edition."""
    cache.delete(CACHE_KEY)


def edition() -> EditionImprint:
    """The current edition's contact address and official sites, from the cache."""
    if _provider is None:
        return NOTHING_SET
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _provider()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def letter_context() -> dict:
    """What every letter's footer names: the operator and the official sites."""
    return {
        "data_operator": DataOperator.current(),
        "official_sites": edition().official_sites,
    }
