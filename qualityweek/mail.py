"""E-mail to people, in their language, as HTML with a plain-text twin.

Log lines name what the letter is about by its primary key only: an address, a
name or an SMTP error text (which may quote the address) never reaches the logs.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.core.mail.utils import DNS_NAME
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


# What an attempt to send a letter came to, for the tasks that send them.
SENT = "sent"
NOT_DUE = "not due"  # nobody to write to any more, or the letter no longer fits
FAILED = "failed"  # the mail server refused it or did not answer: try again later


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML shows from inside the letter, as `<img src="cid:…">`:
    it is there offline and with remote images blocked."""

    cid: str
    filename: str
    content: bytes
    subtype: str = "png"

    @property
    def src(self) -> str:
        return f"cid:{self.cid}"


class Letter(EmailMultiAlternatives):
    """Text and HTML, and the images the HTML shows, as RFC 2387 has it:
    multipart/related around the alternatives and the images, attachments
    beside it in multipart/mixed."""

    def __init__(self, *args, images: Iterable[InlineImage] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.images = list(images)

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.images:
            return msg
        related = SafeMIMEMultipart(
            _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
        )
        related.attach(msg)
        for image in self.images:
            part = MIMEImage(image.content, _subtype=image.subtype)
            part["Content-ID"] = f"<{image.cid}>"
            part["Content-Disposition"] = f'inline; filename="{image.filename}"'
            related.attach(part)
        return related


def render(
    template: str,
    *,
    to: str,
    language: str,
    subject: str | Callable[[], str],
    context: dict | Callable[[], dict],
    attachments: Iterable[Attachment] | Callable[[], Iterable[Attachment]] = (),
    images: Iterable[InlineImage] = (),
) -> Letter:
    """The letter `template`.txt/.html, everything rendered in `language`.

    Callables are called inside the language, so that dates, subjects and
    calendar files come out in the addressee's language, not the sender's.
    `images` travel inside the letter; the HTML names each by its `src`.
    """
    with translation.override(language):
        data = context() if callable(context) else context
        message = Letter(
            subject=subject() if callable(subject) else str(subject),
            body=render_to_string(f"{template}.txt", data),
            to=[to],
            images=images,
        )
        message.attach_alternative(
            render_to_string(f"{template}.html", data), "text/html"
        )
        for attachment in attachments() if callable(attachments) else attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def new_key() -> str:
    """A key for one letter, given when it is queued and kept by its retries."""
    return uuid.uuid4().hex


def send(
    message: EmailMultiAlternatives, *, about: str, pk: int, mail: str, key: str = ""
) -> bool:
    """Send the letter now; True if the mail server took it, now or before.

    `about` and `pk` say what the letter concerns ("Registration", 42), for the log.
    With a `key` (new_key()) the letter goes at most once however often its task
    runs, and carries a Message-ID made from the key, by which mail systems tell
    the one letter from a copy.
    """
    from .models import SentLetter

    if key:
        if SentLetter.objects.filter(key=key).exists():
            logger.info("%s %s: %s e-mail already sent", about, pk, mail)
            return True
        message.extra_headers.setdefault("Message-ID", f"<{key}@{DNS_NAME}>")
    try:
        message.send()
    except Exception as error:  # whatever the mail server does
        # The type only: SMTP errors can carry the address.
        logger.warning(
            "%s %s: %s e-mail failed (%s)", about, pk, mail, type(error).__name__
        )
        return False
    logger.info("%s %s: %s e-mail sent", about, pk, mail)
    if key:
        try:
            SentLetter.objects.get_or_create(key=key)
        except DatabaseError:
            # Sent all the same; only a second run of the task could repeat it.
            logger.warning("%s %s: %s e-mail sent but not recorded", about, pk, mail)
    return True
