from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import clock
from .models import DataOperator


def site(request):
    """What every page needs: the simulated clock for its banner, language links,
    the personal data operator for the footer."""
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
    return {
        "site_clock": clock.simulated_start(),
        "site_languages": languages,
        # The footer names it on every page; read (from the cache) when shown.
        "data_operator": SimpleLazyObject(DataOperator.current),
    }
