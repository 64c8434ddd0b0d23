"""Content that organisers write in two languages, read through one accessor."""

from django.utils.translation import get_language


class Translated:
    """`event.title_i18n`: the English text on the English site when there is one.

    Russian is the site's language, so a missing English text falls back to it.
    """

    def __init__(self, field: str):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if (get_language() or "").startswith("en"):
            english = getattr(instance, f"{self.field}_en")
            if english:
                return english
        return getattr(instance, self.field)
