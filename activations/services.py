"""Writes that apply the rules of activations: the forms and admin call these."""

import datetime
import logging
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from events.models import Edition
from qualityweek import clock, personal_data
from qualityweek import mail as site_mail
from qualityweek.models import ConsentText

from . import emails, tasks
from .models import Activation, new_key

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


def _apply(activation: Activation, data: dict, image) -> list[str]:
    changed = []
    for field in SUBMITTED_FIELDS:
        value = data.get(field)
        if value is None and field != "region":
            value = ""
        # A new activation has no region yet: getattr's default covers it.
        if getattr(activation, field, None) != value:
            setattr(activation, field, value)
            changed.append(field)
    activation.email = activation.email.strip().lower()
    if not activation.last_day:
        activation.last_day = activation.first_day
    if image:
        if activation.image:
            activation.image.delete(save=False)
        activation.image.save(image.name, image, save=False)
        changed.append("image")
    return changed


@transaction.atomic
def submit(edition: Edition, data: dict, *, image=None, language: str) -> Activation:
    """Record a company's activation, to be moderated; the submitter gets a receipt."""
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
    _apply(activation, data, image)
    activation.save()
    logger.info("Activation %s: submitted", activation.pk)
    _send_mail(activation, emails.RECEIVED)
    return activation


@transaction.atomic
def update(activation: Activation, data: dict, *, image=None) -> Activation:
    """The submitter's correction; an approved activation goes back to moderation."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.erased_at:
        raise ActivationError(gettext("This activation's data is erased."))
    changed = _apply(activation, data, image)
    if not changed:
        return activation
    activation.status = Activation.Status.PENDING
    activation.submitted_at = clock.now()
    activation.sequence = F("sequence") + 1
    activation.save()
    activation.refresh_from_db()
    logger.info("Activation %s: corrected, back to moderation", activation.pk)
    _send_mail(activation, emails.RECEIVED)
    return activation


@transaction.atomic
def approve(activation: Activation) -> bool:
    """Publish a pending or rejected activation; False if there was nothing to do."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status == Activation.Status.APPROVED or activation.erased_at:
        return False
    activation.status = Activation.Status.APPROVED
    activation.rejection_reason = ""
    activation.moderated_at = clock.now()
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
    activation.status = Activation.Status.REJECTED
    activation.rejection_reason = reason.strip()
    activation.moderated_at = clock.now()
    activation.sequence = F("sequence") + 1
    activation.save()
    logger.info("Activation %s: rejected", activation.pk)
    _send_mail(activation, emails.REJECTED)
    return True


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
    }


@transaction.atomic
def erase_personal_data(activation: Activation) -> Activation:
    """Blank the contact's data and delete the image; the activation leaves the site."""
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.erased_at:
        return activation
    if activation.image:
        name = activation.image.name
        storage = activation.image.storage
        # The file goes once the row is saved: a rolled-back erasure keeps both.
        transaction.on_commit(lambda: storage.delete(name))
        activation.image = ""
    for field in PERSONAL_FIELDS:
        setattr(activation, field, "")
    activation.edit_key = new_key()
    activation.erased_at = clock.now()
    activation.save()
    logger.info("Activation %s: personal data erased", activation.pk)
    return activation
