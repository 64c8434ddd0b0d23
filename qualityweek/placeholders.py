"""What the site still shows that organisers have not confirmed: demo content
and the placeholder values shipped with it (fixtures/README.md).

`manage.py check --deploy --database default` fails while any stands, naming
each; organisers find them in admin, each with a link to fix it. The ground
knows the placeholders (`models.Placeholder`); an app whose rows can be demo
content registers a source from its ready() (events: the current edition's
published demo events).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from .models import Placeholder

DEMO = "demo"
PLACEHOLDER = "placeholder"


@dataclass(frozen=True)
class Item:
    """One thing still demo or a placeholder, in the reader's language."""

    kind: str  # DEMO or PLACEHOLDER
    description: str
    admin_url: str  # where an organiser fixes it
    placeholder: Placeholder | None = None


_sources: dict[str, Callable[[], list[Item]]] = {}


def register(name: str, source: Callable[[], list[Item]]) -> None:
    """Add a source of demo content (from an app's ready())."""
    _sources[name] = source


def standing() -> list[Item]:
    """Everything still demo or a placeholder: demo content first."""
    demo = [item for source in _sources.values() for item in source()]
    return demo + standing_placeholders()


def standing_placeholders() -> list[Item]:
    """The placeholders whose field still holds the value it was shipped with."""
    items = []
    for placeholder in Placeholder.objects.select_related("content_type"):
        model = placeholder.content_type.model_class()
        if model is None:
            continue  # an app that is no longer installed
        record = model._default_manager.filter(pk=placeholder.object_id).first()
        if record is None:
            continue  # organisers deleted the row: nothing to show
        field = model._meta.get_field(placeholder.field)
        value = field.value_from_object(record)
        if value != field.to_python(placeholder.shipped_value):
            continue  # an organiser saved a real value
        description = gettext(
            "%(kind)s “%(record)s”: %(field)s is still the shipped placeholder "
            "%(value)s"
        ) % {
            "kind": capfirst(model._meta.verbose_name),
            "record": record,
            "field": field.verbose_name,
            "value": shown(value),
        }
        items.append(Item(PLACEHOLDER, description, admin_url(record), placeholder))
    return items


def shown(value) -> str:
    """A value as an organiser reads it: times in Moscow time."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return str(formats.localize(value))


def admin_url(record) -> str:
    opts = record._meta
    try:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
        )
    except NoReverseMatch:
        return ""


def confirm(placeholder: Placeholder) -> None:
    """The shipped value is the real one: it is a placeholder no more."""
    placeholder.delete()
