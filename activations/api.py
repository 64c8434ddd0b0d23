"""Approved activations in the programme's JSON API (see `events.api`): the
entry the programme makes of each, and what only an activation has. Never the
contact person, the e-mail, the phone or the INN."""

from django.utils.translation import gettext_lazy as _

from events import api, entries

from .models import Activation
from .programme import ActivationSource


def _rows(edition):
    return Activation.objects.approved().of_edition(edition).for_listing()


def _find(slug: str):
    return Activation.objects.approved().for_listing().filter(slug=slug).first()


def item(activation: Activation) -> dict:
    entry = entries.source(ActivationSource.label).entry(activation)
    return {
        **api.entry_data(entry),
        "slug": activation.slug,
        "company_name": activation.company_name,
        "activation_kind": activation.kind,
        "activation_kind_label": str(activation.get_kind_display()),
        "city": activation.city,
        "address": activation.address,
        "online_url": activation.online_url,
        "website": activation.website,
        "image": api.absolute(activation.image.url) if activation.image else None,
    }


SCHEMA = {
    "type": "object",
    "required": ["slug", "company_name", "activation_kind", "city"],
    "properties": {
        "slug": {"type": "string"},
        "company_name": {"type": "string"},
        "activation_kind": {"type": "string"},
        "activation_kind_label": {"type": "string"},
        "city": {"type": "string"},
        "address": {"type": "string"},
        "online_url": {"type": "string"},
        "website": {"type": "string"},
        "image": {"type": ["string", "null"], "format": "uri"},
    },
}


def register() -> None:
    api.register(
        api.Collection(
            name="activations",
            title=_("Companies' activations"),
            rows=_rows,
            find=_find,
            item=item,
            schema=SCHEMA,
        )
    )
