"""Personal data under 152-FZ, across the whole site.

Every app that stores people declares what it holds with `register()` in its
`ready()`; the one entry point here finds, exports, erases and purges a person's
data in all of them (`erase_person`, `purge_personal_data`, the export for an
access request, the admin actions), uploaded files included.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from . import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Holder:
    """One kind of record that holds people's data, as its app declares it."""

    label: str  # the key of its part in an export: "registrations"
    model: type[models.Model]
    # The person's records not yet erased, by e-mail (any case, trimmed).
    find: Callable[[str], models.QuerySet]
    # One record as the person may read it: plain values, times in Moscow time.
    export: Callable[[models.Model], dict]
    # Blank one record's personal data for good, its files too; safe to run twice.
    erase: Callable[[models.Model], object]
    # The records whose purpose ended before this moment: the purge erases them.
    due_for_purge: Callable[[datetime.datetime], models.QuerySet]
    # Where a record keeps the consent version it was given with.
    consent_field: str = "consent_text"


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    """Declare a kind of record that holds people's data (from an app's ready())."""
    _holders[holder.label] = holder


def holders() -> list[Holder]:
    return list(_holders.values())


def moment(value: datetime.datetime | None) -> str | None:
    """A time in an export: ISO 8601 in Moscow time."""
    return timezone.localtime(value).isoformat() if value else None


def consent_record(consent_text) -> dict:
    """What an export says of the consent a record was given with."""
    return {
        "consent_purpose": consent_text.purpose if consent_text else None,
        "consent_text_version": consent_text.version if consent_text else None,
        "consent_text": consent_text.text if consent_text else None,
    }


def find_person(email: str) -> dict[str, list[models.Model]]:
    """Every record of the person with this e-mail, in every app."""
    email = email.strip()
    return {holder.label: list(holder.find(email)) for holder in holders()}


def records_of(emails) -> list[models.Model]:
    """Every record of these people, in every app (for the admin log)."""
    return [
        record
        for email in emails
        for records in find_person(email).values()
        for record in records
    ]


def export_person(email: str) -> dict:
    """All that is stored about the person with this e-mail, for an access request."""
    data = {"email": email.strip(), "exported_at": moment(clock.now())}
    for holder in holders():
        data[holder.label] = [holder.export(record) for record in holder.find(email)]
    return data


def erase_person(email: str) -> dict[str, int]:
    """Erase the person's data in every app; how many records of each kind."""
    erased = {}
    for holder in holders():
        # One transaction per record (each erase is atomic): a registration locks
        # only its own event, and a failure leaves what is done done.
        records = list(holder.find(email.strip()).order_by("pk"))
        for record in records:
            holder.erase(record)
        erased[holder.label] = len(records)
    return erased


def purge_personal_data(*, older_than_days: int) -> dict[str, int]:
    """Erase the data of everything whose purpose ended over so many days ago."""
    cutoff = clock.now() - datetime.timedelta(days=older_than_days)
    erased = {}
    for holder in holders():
        records = list(holder.due_for_purge(cutoff).order_by("pk"))
        for record in records:
            holder.erase(record)
        erased[holder.label] = len(records)
        if records:
            logger.info(
                "Purge: %s personal data erased from %s", len(records), holder.label
            )
    return erased


def summary(counts: dict[str, int]) -> str:
    """ "registrations: 2, activations: 1" — for commands' output, never a name."""
    return ", ".join(f"{label}: {count}" for label, count in counts.items())
