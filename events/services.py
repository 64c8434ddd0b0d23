"""Writes to the programme that apply rules or touch several rows."""

from pathlib import PurePath

from django.db import transaction
from django.db.models import QuerySet

from . import caching, images
from .models import Event, Speaker


@transaction.atomic
def set_published(events: QuerySet[Event], published: bool) -> int:
    """Publish or withdraw several events at once."""
    count = events.update(is_published=published)
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
