"""What organisers do with winners: save one, withdraw its consent, erase it."""

import datetime
import logging
from pathlib import PurePath

from django.db import transaction

from qualityweek import clock, images, personal_data

from .models import Winner

logger = logging.getLogger(__name__)

# Blanked by erasure: what names or shows the person.
PERSONAL_FIELDS = ["name", "name_en", "text", "text_en", "email"]


def _delete_on_commit(storage, name: str) -> None:
    """Delete a file the row named once the row no longer names it for good."""
    if name:
        # A rolled-back transaction keeps the file the row still names; a storage
        # that fails now leaves a stray file, never a failed save.
        transaction.on_commit(lambda: storage.delete(name), robust=True)


@transaction.atomic
def save_winner(winner: Winner, *, photo_changed: bool = False) -> Winner:
    """Save a winner as organisers entered it, cutting the photo into the square
    the pages show when it changed."""
    if photo_changed:
        # The files replaced go once the row names the new ones for good.
        stored = Winner.objects.filter(pk=winner.pk).values_list(
            "photo", "photo_thumbnail"
        )
        for name in stored[0] if winner.pk and stored else ():
            _delete_on_commit(winner.photo.storage, name)
        winner.photo_thumbnail = ""
        if winner.photo:
            name = f"{PurePath(winner.photo.name).stem}-square.jpg"
            winner.photo_thumbnail.save(
                name, images.square_thumbnail(winner.photo), save=False
            )
    winner.save()
    return winner


@transaction.atomic
def withdraw_consent(winner: Winner) -> Winner:
    """Take the winner off every page at once: the consent to publish is
    withdrawn, and the photo, collected only to be published, is deleted."""
    winner = Winner.objects.select_for_update().get(pk=winner.pk)
    if (
        winner.publication_consent_withdrawn_at
        or not winner.publication_consent_given_at
    ):
        return winner  # nothing published, nothing to withdraw
    _delete_photo(winner)
    winner.publication_consent_withdrawn_at = clock.now()
    winner.save()  # raises the programme revision: cached pages are left behind
    logger.info("Winner %s: consent to publish withdrawn", winner.pk)
    return winner


def _delete_photo(winner: Winner) -> None:
    for file in (winner.photo, winner.photo_thumbnail):
        _delete_on_commit(file.storage, file.name)
    winner.photo = ""
    winner.photo_thumbnail = ""


def winners_of(email: str):
    """The person's winner entries that still hold their data."""
    return Winner.objects.filter(
        kind=Winner.Kind.PERSON, email__iexact=email.strip(), erased_at__isnull=True
    ).select_related("edition", "region")


def due_for_purge(cutoff: datetime.datetime):
    """Entries whose consent to publish was withdrawn before the cutoff: their
    purpose has ended."""
    return Winner.objects.filter(
        publication_consent_withdrawn_at__lt=cutoff, erased_at__isnull=True
    )


def personal_record(winner: Winner) -> dict:
    """One winner entry as the person may read it."""
    return {
        "edition": winner.edition.year,
        "kind": winner.kind,
        "name": winner.name,
        "name_en": winner.name_en,
        "nomination": winner.nomination,
        "region": winner.region.code if winner.region else None,
        "text": winner.text,
        "text_en": winner.text_en,
        "email": winner.email,
        "photo": winner.photo.name or None,
        "publication_consent_given_at": personal_data.moment(
            winner.publication_consent_given_at
        ),
        "publication_consent_withdrawn_at": personal_data.moment(
            winner.publication_consent_withdrawn_at
        ),
    }


@transaction.atomic
def erase_personal_data(winner: Winner) -> Winner:
    """Blank the person's name, text and e-mail, delete the photo and the signed
    consent; the entry leaves every page."""
    winner = Winner.objects.select_for_update().get(pk=winner.pk)
    if winner.erased_at:
        return winner
    _delete_photo(winner)
    document = winner.publication_consent_document
    _delete_on_commit(document.storage, document.name)
    winner.publication_consent_document = ""
    for field in PERSONAL_FIELDS:
        setattr(winner, field, "")
    winner.erased_at = clock.now()
    winner.save()
    logger.info("Winner %s: personal data erased", winner.pk)
    return winner
