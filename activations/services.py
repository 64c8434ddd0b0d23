"""Writes that apply the rules of activations: the forms and admin call these."""

import datetime
import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from events import certificates
from events.models import Edition
from qualityweek import clock, images, personal_data
from qualityweek import mail as site_mail
from qualityweek.models import ConsentText

from . import emails, tasks
from .models import REMOVES_IMAGE, Activation, from_json, new_key, to_json

logger = logging.getLogger(__name__)

# What a submitter writes; the form's fields of the same names.
SUBMITTED_FIELDS = [
    "company_name",
    "inn",
    "region",
    "city",
    "kind",
    "title",
    "description",
    "first_day",
    "last_day",
    "address",
    "online_url",
    "website",
    "contact_name",
    "email",
    "phone",
]
# What the contact person fills in about themselves: never published, so a change
# takes effect at once, even on a published activation.
CONTACT_FIELDS = ["contact_name", "email", "phone"]
# What the site shows (and the INN, by which organisers check the company): a
# change of a published activation waits for the organisers.
MODERATED_FIELDS = [f for f in SUBMITTED_FIELDS if f not in CONTACT_FIELDS]
# A calendar app replaces its copy only when SEQUENCE rises (RFC 5545 §3.8.7.4):
# it rises when the days or the place change.
CALENDAR_FIELDS = ["first_day", "last_day", "region", "city", "address", "online_url"]
CORRECTION_FIELDS = [
    "correction",
    "correction_image",
    "correction_submitted_at",
    "correction_rejection_reason",
]
# What erasure blanks; the INN of an entrepreneur (12 digits) is personal too.
PERSONAL_FIELDS = ["contact_name", "email", "phone", "inn"]


class ActivationError(Exception):
    """A refusal whose (translated) message is safe to show to the visitor."""


def consent_text() -> ConsentText | None:
    return ConsentText.objects.in_force(ConsentText.Purpose.ACTIVATION)


def _send_mail(activation: Activation, mail: str) -> None:
    # A task row in this transaction: no letter for a change that rolls back.
    tasks.send_mail.enqueue(activation.pk, mail, letter=site_mail.new_key())


def _new_slug(title: str) -> str:
    # A random tail: two companies may well call theirs «День открытых дверей».
    base = slugify(title, allow_unicode=False)[:60].strip("-") or "activation"
    return f"{base}-{secrets.token_hex(3)}"


def _apply(activation: Activation, data: dict, fields: list[str]) -> list[str]:
    """Set the submitted values of these fields; the names of those that changed."""
    changed = []
    for field in fields:
        value = _submitted(data, field)
        # A new activation has no region yet: getattr's default covers it.
        if getattr(activation, field, None) != value:
            setattr(activation, field, value)
            changed.append(field)
    return changed


def _submitted(data: dict, field: str):
    """A field's value as the form cleaned it, as the row stores it."""
    value = data.get(field)
    if value is None and field != "region":
        value = ""
    if field == "email":
        value = value.strip().lower()
    if field == "last_day" and not value:
        value = data.get("first_day")
    return value


def _new_upload(image):
    """The image if it is a new upload; a form without one cleans to the stored
    file (a FileField's initial value), which is nothing new."""
    if not image or isinstance(image, FieldFile):
        return None
    return image


def _delete_on_commit(storage, name: str) -> None:
    """Delete an image the row named, and its thumbnails, once the row no longer
    does for good."""
    if name:
        # A rolled-back transaction keeps the file the row still names; a storage
        # that fails now leaves a stray file, never a failed save.
        transaction.on_commit(
            lambda: images.delete_with_thumbnails(storage, name), robust=True
        )


def _save(activation: Activation, *, stored=None, **kwargs) -> None:
    """Save the row; a newly `stored` file it was to name goes if the save fails."""
    try:
        activation.save(**kwargs)
    except Exception:
        if stored:
            images.delete_with_thumbnails(stored.storage, stored.name)
        raise


@transaction.atomic
def submit(
    edition: Edition, data: dict, *, image=None, language: str, key=None
) -> Activation:
    """Record a company's activation, to be moderated; the submitter gets a receipt.

    A second submission with the form's `key` (a double click) returns the first
    one's activation, and stores and sends nothing.
    """
    earlier = _submitted_with(key)
    if earlier is not None:
        return earlier
    consent = consent_text()
    if consent is None or not data.get("consent"):
        raise ActivationError(
            gettext("Please agree to the processing of your personal data.")
        )
    activation = Activation(
        edition=edition,
        slug=_new_slug(data.get("title", "")),
        language=language,
        consent_text=consent,
        consent_given_at=clock.now(),
    )
    _apply(activation, data, SUBMITTED_FIELDS)
    activation.submission_key = key
    image = _new_upload(image)
    if image:
        activation.image.save(image.name, image, save=False)
    try:
        # A savepoint: PostgreSQL lets a click that waited on the first one's
        # key find that activation in this transaction.
        with transaction.atomic():
            _save(activation, stored=activation.image if image else None)
    except IntegrityError:
        earlier = _submitted_with(key)
        if earlier is None:
            raise
        return earlier
    logger.info("Activation %s: submitted", activation.pk)
    _send_mail(activation, emails.RECEIVED)
    return activation


def _submitted_with(key) -> Activation | None:
    if not key:
        return None
    return Activation.objects.filter(submission_key=key).first()


@transaction.atomic
def update(
    activation: Activation, data: dict, *, image=None, remove_image: bool = False
) -> Activation:
    """The submitter's correction: a published activation stays as it is until the
    organisers approve it; any other goes back to moderation as corrected."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.erased_at:
        raise ActivationError(gettext("This activation's data is erased."))
    image = _new_upload(image)
    if activation.status == Activation.Status.APPROVED:
        return _correct_published(
            activation, data, image=image, remove_image=remove_image
        )
    changed = _apply(activation, data, SUBMITTED_FIELDS)
    previous = activation.image.name
    if image:
        # The new file is stored before the row names it, and the old one goes
        # only after the row has committed: the row never names a missing file.
        activation.image.save(image.name, image, save=False)
        changed.append("image")
    elif remove_image and activation.image:
        activation.image = ""
        changed.append("image")
    if not changed:
        return activation
    activation.status = Activation.Status.PENDING
    activation.submitted_at = clock.now()
    activation.sequence = F("sequence") + 1
    _save(activation, stored=activation.image if image else None)
    if "image" in changed:
        _delete_on_commit(activation.image.storage, previous)
    activation.refresh_from_db()
    logger.info("Activation %s: corrected, back to moderation", activation.pk)
    _send_mail(activation, emails.RECEIVED)
    return activation


def _refuse_unless_whole(first_day, last_day, address: str, online_url: str) -> None:
    """What the database's constraints hold, for a correction that waits beside
    the row: the form checks it too, so this is refused before it is stored."""
    if last_day < first_day:
        raise ActivationError(gettext("The last day cannot come before the first."))
    if not (address or online_url):
        raise ActivationError(gettext("Give the address, the online link, or both."))


def _correct_published(
    activation: Activation, data: dict, *, image, remove_image: bool
) -> Activation:
    _refuse_unless_whole(
        *(
            _submitted(data, f)
            for f in ("first_day", "last_day", "address", "online_url")
        )
    )
    contact_changed = _apply(activation, data, CONTACT_FIELDS)
    correction = {}
    for field in MODERATED_FIELDS:
        value = to_json(field, _submitted(data, field))
        if value != to_json(field, getattr(activation, field)):
            correction[field] = value
    # The form shows the image as the correction leaves it (its new image, none,
    # or the published one): that stays unless a new one comes or it is removed.
    had_removal = (activation.correction or {}).get(REMOVES_IMAGE, False)
    previous_image = activation.correction_image.name
    if image:
        activation.correction_image.save(image.name, image, save=False)
    elif remove_image:
        activation.correction_image = ""
    new_image = activation.correction_image.name
    if activation.image and not image and (remove_image or had_removal):
        correction[REMOVES_IMAGE] = True
    if not correction and not new_image:
        correction = None  # the submitter wrote the published version back
    if correction == activation.correction and new_image == previous_image:
        if contact_changed:
            activation.save(update_fields=contact_changed)
            logger.info("Activation %s: contact corrected", activation.pk)
        return activation
    activation.correction = correction
    activation.correction_submitted_at = None if correction is None else clock.now()
    activation.correction_rejection_reason = ""
    # Nothing published changes, so neither does updated_at: a calendar's
    # LAST-MODIFIED and DTSTAMP, the sitemap's lastmod.
    _save(
        activation,
        stored=activation.correction_image if image else None,
        update_fields=[*contact_changed, *CORRECTION_FIELDS],
    )
    if previous_image != new_image:
        # Superseded or withdrawn.
        _delete_on_commit(activation.correction_image.storage, previous_image)
    if correction is None:
        logger.info("Activation %s: correction withdrawn", activation.pk)
        return activation
    logger.info("Activation %s: correction awaits moderation", activation.pk)
    _send_mail(activation, emails.CORRECTION_RECEIVED)
    return activation


def _take_correction(activation: Activation) -> list[str]:
    """Make the waiting correction the activation's own fields (not saved); the
    names of the fields it changed. The image it replaces goes after commit."""
    changes = activation.correction or {}
    changed = []
    for field, value in changes.items():
        if field in MODERATED_FIELDS:
            setattr(activation, field, from_json(field, value))
            changed.append(field)
    if activation.correction_image or changes.get(REMOVES_IMAGE):
        _delete_on_commit(activation.image.storage, activation.image.name)
        activation.image = activation.correction_image.name or ""
        changed.append("image")
    activation.correction = None
    activation.correction_image = ""
    activation.correction_submitted_at = None
    activation.correction_rejection_reason = ""
    return changed


def correction_version(activation: Activation) -> str:
    """What names the waiting correction as an organiser saw it."""
    submitted = activation.correction_submitted_at
    return submitted.isoformat() if submitted else ""


def _refuse_unless_seen(activation: Activation, seen: str | None) -> None:
    if seen is not None and seen != correction_version(activation):
        raise ActivationError(
            gettext(
                "The company has changed its correction since you opened it: look "
                "at it again."
            )
        )


@transaction.atomic
def approve_correction(activation: Activation, *, seen: str | None = None) -> bool:
    """Publish the correction awaiting moderation in place of the published version
    (the one `seen`, if given); False if none waits."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if (
        activation.correction is None
        or activation.erased_at
        or activation.status != Activation.Status.APPROVED
    ):
        return False
    _refuse_unless_seen(activation, seen)
    changed = _take_correction(activation)
    # The organisers may have changed the published days or place since the
    # correction came: together they must still make an activation.
    try:
        _refuse_unless_whole(
            activation.first_day,
            activation.last_day,
            activation.address,
            activation.online_url,
        )
    except ActivationError as error:
        raise ActivationError(
            gettext(
                "The correction cannot be published with what the activation holds "
                "now: %(error)s"
            )
            % {"error": error}
        ) from error
    if set(changed) & set(CALENDAR_FIELDS):
        activation.sequence = F("sequence") + 1
    activation.moderated_at = clock.now()
    activation.save()
    logger.info("Activation %s: correction approved", activation.pk)
    _send_mail(activation, emails.CORRECTION_APPROVED)
    return True


@transaction.atomic
def reject_correction(
    activation: Activation, *, reason: str, seen: str | None = None
) -> bool:
    """Refuse the correction (the one `seen`, if given) with a reason; the published
    version stays as it is."""
    if not reason.strip():
        raise ActivationError(gettext("Write the reason the submitter will read."))
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.correction is None or activation.erased_at:
        return False
    _refuse_unless_seen(activation, seen)
    _delete_on_commit(
        activation.correction_image.storage, activation.correction_image.name
    )
    activation.correction = None
    activation.correction_image = ""
    activation.correction_submitted_at = None
    activation.correction_rejection_reason = reason.strip()
    activation.save(update_fields=CORRECTION_FIELDS)
    logger.info("Activation %s: correction rejected", activation.pk)
    _send_mail(activation, emails.CORRECTION_REJECTED)
    return True


@transaction.atomic
def approve(activation: Activation) -> bool:
    """Publish a pending or rejected activation; False if there was nothing to do."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status == Activation.Status.APPROVED or activation.erased_at:
        return False
    activation.mark_approved()
    activation.sequence = F("sequence") + 1
    activation.save()
    logger.info("Activation %s: approved", activation.pk)
    _send_mail(activation, emails.APPROVED)
    return True


@transaction.atomic
def reject(activation: Activation, *, reason: str) -> bool:
    """Refuse an activation with a reason the submitter reads."""
    if not reason.strip():
        raise ActivationError(gettext("Write the reason the submitter will read."))
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.erased_at:
        return False
    if (
        activation.status == Activation.Status.REJECTED
        and activation.rejection_reason == reason.strip()
    ):
        return False
    # Off the site there is no published version to keep: the entry becomes what
    # its submitter last wrote, and the reason is about that.
    _take_correction(activation)
    activation.mark_rejected(reason)
    activation.sequence = F("sequence") + 1
    activation.save()
    logger.info("Activation %s: rejected", activation.pk)
    _send_mail(activation, emails.REJECTED)
    return True


@transaction.atomic
def return_to_moderation(activation: Activation) -> bool:
    """Take an approved or rejected activation back to pending, without a letter."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status == Activation.Status.PENDING or activation.erased_at:
        return False
    _take_correction(activation)
    activation.status = Activation.Status.PENDING
    activation.sequence = F("sequence") + 1
    activation.save()
    logger.info("Activation %s: back to moderation", activation.pk)
    return True


@transaction.atomic
def save_edit(activation: Activation) -> Activation:
    """An organiser's edit of the published fields, status and correction aside:
    SEQUENCE rises if the days or place changed; a replaced image goes after commit."""
    stored = Activation.objects.select_for_update().get(pk=activation.pk)
    activation.sequence = stored.sequence
    attnames = [Activation._meta.get_field(f).attname for f in CALENDAR_FIELDS]
    if any(getattr(activation, a) != getattr(stored, a) for a in attnames):
        activation.sequence += 1
    # The status and its reason change through approve and reject, which write to
    # the submitter; the correction through its own moderation. The form saves
    # neither.
    activation.save(
        update_fields=[
            field.name
            for field in Activation._meta.concrete_fields
            if field.editable
            and not field.primary_key
            and field.name not in ("status", "rejection_reason")
        ]
        + ["sequence", "updated_at", "image_width", "image_height"]
    )
    if stored.image.name != activation.image.name:
        _delete_on_commit(stored.image.storage, stored.image.name)
    return activation


def activations_of(email: str):
    """The person's activations that still hold their data."""
    return Activation.objects.filter(
        email__iexact=email.strip(), erased_at__isnull=True
    ).select_related("region", "consent_text")


def due_for_purge(cutoff: datetime.datetime):
    """Activations whose last day, or whose rejection, lies before the cutoff."""
    cutoff_day = timezone.localtime(cutoff).date()
    ended = Activation.objects.filter(last_day__lt=cutoff_day, erased_at__isnull=True)
    rejected = Activation.objects.filter(
        status=Activation.Status.REJECTED,
        moderated_at__lt=cutoff,
        erased_at__isnull=True,
    )
    return ended | rejected


def personal_record(activation: Activation) -> dict:
    """One activation as the person may read it."""
    return {
        "title": activation.title,
        "company_name": activation.company_name,
        "status": activation.status,
        "first_day": activation.first_day.isoformat(),
        "last_day": activation.last_day.isoformat(),
        **{field: getattr(activation, field) for field in PERSONAL_FIELDS},
        "image": activation.image.name or None,
        "language": activation.language,
        **personal_data.consent_record(activation.consent_text),
        "consent_given_at": personal_data.moment(activation.consent_given_at),
        "submitted_at": personal_data.moment(activation.submitted_at),
        # A correction awaiting moderation is theirs too (an entrepreneur's INN).
        "correction": activation.correction,
        "correction_image": activation.correction_image.name or None,
        "correction_submitted_at": personal_data.moment(
            activation.correction_submitted_at
        ),
        "certificates": certificates.personal_records("activations", activation.pk),
    }


@transaction.atomic
def erase_personal_data(activation: Activation) -> Activation:
    """Blank the contact's data, delete the images and any waiting correction; the
    activation leaves the site."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.erased_at:
        return activation
    # The files go once the row is saved: a rolled-back erasure keeps them all.
    for image in (activation.image, activation.correction_image):
        _delete_on_commit(image.storage, image.name)
    activation.image = ""
    # A waiting correction may hold an entrepreneur's INN, its image a face.
    activation.correction = None
    activation.correction_image = ""
    activation.correction_submitted_at = None
    activation.correction_rejection_reason = ""
    for field in PERSONAL_FIELDS:
        setattr(activation, field, "")
    certificates.erase("activations", activation.pk)  # the name they print
    activation.edit_key = new_key()
    activation.erased_at = clock.now()
    activation.save()
    logger.info("Activation %s: personal data erased", activation.pk)
    return activation
