"""Personal data under 152-FZ, across the whole site.

Every app that stores people declares what it holds with `declare()` (or
`register()`) in its `ready()`; the one entry point here finds, exports, erases
and purges a person's data in all of them (`erase_person`, `purge_personal_data`,
the export for an access request, the admin actions), uploaded files included.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
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
    # What the privacy policy says of these records, one section each, so that a
    # form that stores people cannot be left out of it. Lazy translations.
    title: str  # the heading: "Registration to attend in person"
    purpose: str  # why the data are processed
    data: str  # what is collected
    source: str  # the form it comes from
    # How long, as `due_for_purge` has it; "%(days)s" is PURGE_AFTER_DAYS.
    kept: str
    # The ConsentText.Purpose its form asks consent for.
    consent_purpose: str
    # The form's page, linked from the policy (a URL name), if it has one.
    form_url_name: str = ""
    # Where a record keeps the consent version it was given with.
    consent_field: str = "consent_text"


_holders: dict[str, Holder] = {}

# The daily purge erases what `due_for_purge` gives after this many days
# (qualityweek.scheduler); the policy states it.
PURGE_AFTER_DAYS = 30


def register(holder: Holder) -> None:
    """Declare a kind of record that holds people's data (from an app's ready())."""
    _holders[holder.label] = holder


def declare(
    label: str,
    model: type[models.Model],
    services,
    *,
    find: Callable[[str], models.QuerySet],
    **policy,
) -> Holder:
    """Declare an app's records from its ready(): `services` is the app's module
    that keeps the registry's functions under their names (`personal_record`,
    `erase_personal_data`, `due_for_purge`); `find` is its finder by e-mail;
    `policy` the rest of `Holder`, what the privacy policy says of them."""
    holder = Holder(
        label=label,
        model=model,
        find=find,
        export=services.personal_record,
        erase=services.erase_personal_data,
        due_for_purge=services.due_for_purge,
        **policy,
    )
    register(holder)
    return holder


def holders() -> list[Holder]:
    return list(_holders.values())


@dataclass(frozen=True)
class PolicySection:
    """What the privacy policy says of one kind of record, in the reader's language."""

    label: str
    title: str
    purpose: str
    data: str
    source: str
    form_url: str
    kept: str
    consent_purpose: str
    consent_text: models.Model | None  # the version in force, if organisers set one


def policy_sections() -> list[PolicySection]:
    """One section of the privacy policy per kind of record the site keeps."""
    from .models import ConsentText

    return [
        PolicySection(
            label=holder.label,
            title=str(holder.title),
            purpose=str(holder.purpose),
            data=str(holder.data),
            source=str(holder.source),
            form_url=reverse(holder.form_url_name) if holder.form_url_name else "",
            kept=str(holder.kept) % {"days": PURGE_AFTER_DAYS},
            consent_purpose=holder.consent_purpose,
            consent_text=ConsentText.objects.in_force(holder.consent_purpose),
        )
        for holder in holders()
    ]


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
