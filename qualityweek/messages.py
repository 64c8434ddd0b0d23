"""Organisers' messages to the people of a feature: the registrants of events, the
approved regional venues.

The ground knows no feature: each registers its audience from its
`AppConfig.ready()` (whose admin list offers the action, whom the chosen rows
reach, who is still due a letter when it goes). The message and the log of its
recipients live here, one model for every audience, the recipient named by
content type and primary key: one log that organisers read in one place, and no
address copied out of the record whose data erasure blanks.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, Min
from django.urls import reverse
from django_tasks import task

from . import links
from . import mail as site_mail
from . import tasks as site_tasks
from .models import Message, MessageRecipient

logger = logging.getLogger(__name__)

SEND_PERMISSION = "qualityweek.send_message"


@dataclass(frozen=True)
class Audience:
    """People a feature lets organisers write to."""

    key: str
    # The admin list whose chosen rows name the people (events, venues).
    source: type[models.Model]
    # Whose records the letters go to; each has `language` and `erased_at`.
    model: type[models.Model]
    action_label: str
    # The organiser's choice among the chosen rows' people: key -> label.
    groups: dict[str, str]
    # The chosen source rows and a group -> the records written to, one per
    # address, none erased, cancelled or not yet confirmed.
    recipients: Callable[[models.QuerySet, str], models.QuerySet]
    # Whether a record is still due its letter when the letter goes.
    is_due: Callable[[models.Model], bool]
    # The record -> (address, copies).
    address: Callable[[models.Model], tuple[str, list[str]]]
    # Why the person gets the letter, at its foot.
    reason: str = field(default="")


_audiences: dict[str, Audience] = {}


def register(audience: Audience) -> None:
    _audiences[audience.key] = audience


def audience_of(key: str) -> Audience:
    return _audiences[key]


def registered() -> list[Audience]:
    return list(_audiences.values())


def audiences_for(model: type[models.Model]) -> list[Audience]:
    """The audiences an admin list of this model writes to."""
    return [audience for audience in _audiences.values() if audience.source is model]


def one_per_address(records: models.QuerySet, address_field: str = "email"):
    """The records, one (the first) per e-mail address."""
    firsts = records.values(address_field).annotate(first=Min("pk")).values("first")
    return records.filter(pk__in=firsts)


def languages(recipients: models.QuerySet) -> dict[str, int]:
    """How many recipients read each language: {"ru": 12, "en": 3}."""
    counts = recipients.order_by().values("language").annotate(count=Count("pk"))
    return {row["language"]: row["count"] for row in counts}


@dataclass(frozen=True)
class Draft:
    """What an organiser wrote, before it is a message."""

    subject: str
    subject_en: str
    body: str
    body_en: str


def build(
    texts: Draft | Message, audience: Audience, *, to: str, language: str
) -> site_mail.Letter:
    """The letter in `language`, as its recipient reads it."""
    english = language.startswith("en")
    subject = texts.subject_en if english else texts.subject
    body = texts.body_en if english else texts.body
    return site_mail.render(
        "email/message",
        to=to,
        language=language,
        subject=subject,
        context=lambda: {
            "language": language,
            "subject": subject,
            "body": body,
            "reason": str(audience.reason),
            "policy_url": links.absolute(reverse("privacy")),
        },
    )


@transaction.atomic
def send(
    audience: Audience,
    recipients: models.QuerySet,
    draft: Draft,
    *,
    group: str,
    key: str,
    about: str = "",
    sent_by=None,
) -> tuple[Message, bool]:
    """Record the message and queue a letter per recipient; (message, False) if this
    key was sent already, which queues nothing again."""
    message, created = Message.objects.get_or_create(
        key=key,
        defaults={
            "audience": audience.key,
            "group": group,
            "about": about[:500],
            "subject": draft.subject,
            "subject_en": draft.subject_en,
            "body": draft.body,
            "body_en": draft.body_en,
            "sent_by": sent_by,
        },
    )
    if not created:
        return message, False
    content_type = ContentType.objects.get_for_model(audience.model)
    rows = MessageRecipient.objects.bulk_create(
        MessageRecipient(
            message=message,
            content_type=content_type,
            object_id=pk,
            language=language,
        )
        for pk, language in recipients.order_by("pk").values_list("pk", "language")
    )
    for row in rows:
        send_letter.enqueue(row.pk)  # task rows in this transaction
    logger.info("Message %s: %s letter(s) queued", message.pk, len(rows))
    return message, True


def letter_key(row: MessageRecipient) -> str:
    """The one letter of this recipient, however often its task runs."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"message/{row.pk}").hex


@task()
def send_letter(recipient_pk: int, attempt: int = 1) -> str:
    """Send one recipient's letter of a message, if they are still due it."""
    row = (
        MessageRecipient.objects.select_related("message", "content_type")
        .filter(pk=recipient_pk)
        .first()
    )
    if row is None:
        return site_mail.NOT_DUE
    if row.state == MessageRecipient.State.SENT:
        return site_mail.SENT
    audience = audience_of(row.message.audience)
    person = audience.model.objects.filter(pk=row.object_id).first()
    if person is None or not audience.is_due(person):
        _record(row, MessageRecipient.State.NOT_SENT)
        return site_mail.NOT_DUE
    to, copies = audience.address(person)
    letter = build(row.message, audience, to=to, language=person.language)
    letter.cc = copies
    if site_mail.send(
        letter,
        about="Message recipient",
        pk=row.pk,
        mail="message",
        key=letter_key(row),
    ):
        _record(row, MessageRecipient.State.SENT)
        return site_mail.SENT
    _record(row, MessageRecipient.State.FAILED)
    site_tasks.retry_later(send_letter, recipient_pk, attempt=attempt)
    return site_mail.FAILED


def _record(row: MessageRecipient, state: str) -> None:
    row.state = state
    row.save(update_fields=["state", "updated_at"])
