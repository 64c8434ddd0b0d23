"""Writes to the programme that apply rules or touch several rows."""

from pathlib import PurePath

from django.db import models, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Now

from qualityweek import images

from . import caching, changes
from .models import Event, Material, Speaker, Venue

# A calendar app replaces its copy of an event only when SEQUENCE rises (RFC 5545
# §3.8.7.4): it rises when one of these changes, the event's time, place or status.
CALENDAR_FIELDS = (
    "start",
    "end",
    "venue",
    "region",
    "format",
    "is_cancelled",
    "is_published",
    # The description says "to be confirmed" or "place to be announced" until
    # these are cleared: the calendar copy must take the new text.
    "is_date_confirmed",
    "is_time_confirmed",
    "place_to_be_announced",
)
# What a venue's events show as their LOCATION and GEO.
VENUE_PLACE_FIELDS = (
    "name",
    "name_en",
    "address",
    "address_en",
    "latitude",
    "longitude",
)


def _differs(instance: models.Model, stored: dict, names: tuple[str, ...]) -> bool:
    fields = [instance._meta.get_field(name) for name in names]
    return any(
        field.to_python(getattr(instance, field.attname))
        != field.to_python(stored[field.attname])
        for field in fields
    )


def _stored(model: type[models.Model], pk, names: tuple[str, ...], *extra: str):
    """The row as it is in the database, locked until the transaction ends."""
    attnames = [model._meta.get_field(name).attname for name in names]
    return (
        model.objects.select_for_update()
        .filter(pk=pk)
        .values(*attnames, *extra)
        .first()
    )


@transaction.atomic
def save_event(event: Event, *, notify: bool = True) -> Event:
    """Save an event, raising its SEQUENCE if its time, place or status changed,
    and let the features that keep people for it act on the change (with
    `notify` off, nobody is written to: a typo fixed in a time, say)."""
    stored = None
    if event.pk is not None:
        # Lock first: of two organisers saving at once, each raises SEQUENCE from
        # the number the other left, and neither writes back a stale one. The
        # seat services queue on this same row lock, so the listeners below see
        # seats and waiting lists that cannot move under them.
        stored = _stored(
            Event,
            event.pk,
            tuple(dict.fromkeys(CALENDAR_FIELDS + changes.WATCHED_FIELDS)),
            "sequence",
        )
    if stored is None:
        event.save()
        return event
    event.sequence = stored["sequence"]
    if _differs(event, stored, CALENDAR_FIELDS):
        event.sequence += 1
    # Counters that services keep (seats taken, …) are not editable: an organiser's
    # form must not write back the value it loaded minutes ago.
    event.save(
        update_fields=[
            field.name
            for field in Event._meta.concrete_fields
            if field.editable and not field.primary_key
        ]
        + ["sequence", "updated_at"]
    )
    change = changes.Change(
        before=changes.snapshot_of_row(
            {key: value for key, value in stored.items() if key != "sequence"}
        ),
        after=changes.snapshot(event),
    )
    if change.before != change.after:
        # An unpublished event was never on anyone's calendar from the site.
        published = change.before["is_published"] or change.after["is_published"]
        changes.saved(event, change, notify=notify and published)
    return event


@transaction.atomic
def save_venue(venue: Venue) -> Venue:
    """Save a venue; where its name, address or position changed, so did the place of
    its events, and their calendar SEQUENCE rises."""
    stored = None
    if venue.pk is not None:
        stored = _stored(Venue, venue.pk, VENUE_PLACE_FIELDS)
    venue.save()
    if stored is not None and _differs(venue, stored, VENUE_PLACE_FIELDS):
        venue.events.update(sequence=F("sequence") + 1, updated_at=Now())
    return venue


@transaction.atomic
def set_published(events: QuerySet[Event], published: bool) -> int:
    """Publish or withdraw several events at once; returns how many changed."""
    # The events that change status get a new calendar revision; the others keep
    # theirs. An F() expression, so that a concurrent save loses no rise.
    count = events.exclude(is_published=published).update(
        is_published=published, sequence=F("sequence") + 1, updated_at=Now()
    )
    caching.bump_revision()  # update() sends no signals
    return count


def make_speaker_thumbnail(speaker: Speaker) -> Speaker:
    """Cut the photo into the square the pages show, or drop a stale thumbnail."""
    if speaker.photo_thumbnail:
        speaker.photo_thumbnail.delete(save=False)
    if speaker.photo:
        name = f"{PurePath(speaker.photo.name).stem}-square.jpg"
        speaker.photo_thumbnail.save(
            name, images.square_thumbnail(speaker.photo), save=False
        )
    speaker.save(update_fields=["photo_thumbnail"])
    return speaker


def save_material(material: Material) -> Material:
    """Save a material with the size of its file, which the public list shows."""
    material.size = material.file.size
    material.save()
    return material
