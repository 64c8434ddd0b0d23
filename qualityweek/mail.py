"""E-mail to people, in their language, as HTML with a plain-text twin.

Log lines name what the letter is about by its primary key only: an address, a
name or an SMTP error text (which may quote the address) never reaches the logs.
"""

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.core.mail.utils import DNS_NAME
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import clock, imprint
from .plain_text import one_line

logger = logging.getLogger(__name__)


# What an attempt to send a letter came to, for the tasks that send them.
SENT = "sent"
NOT_DUE = "not due"  # nobody to write to any more, or the letter no longer fits
FAILED = "failed"  # the mail server refused it for now or did not answer: try again
# The mail server refused the address for good (a 5xx reply): never tried again,
# noted on the person's record (note_outcome) for organisers and the person.
BOUNCED = "bounced"
# A worker died while sending it: the server may have taken it. Not sent again.
UNCERTAIN = "uncertain"


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
    # Every letter's footer names the operator and the official sites; answers
    # go to the edition's contact address once organisers set one.
    contact = imprint.edition().contact_email
    with translation.override(language):
        data = {
            **imprint.letter_context(),
            **(context() if callable(context) else context),
        }
        message = Letter(
            # A stored title with a line break (an old row) cannot break the letter.
            subject=one_line(subject() if callable(subject) else str(subject)),
            body=render_to_string(f"{template}.txt", data),
            to=[to],
            reply_to=[contact] if contact else None,
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


def is_permanent(error: Exception) -> bool:
    """Whether the mail server refused the letter for good: a 5xx reply to the
    recipient (RCPT, an unknown mailbox) or to the letter itself (DATA).

    A 4xx reply, a timeout or a refused connection passes; so does a refused
    sender, the site's own setting, which operators put right while the retries
    last: it says nothing about the person's address.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):  # SMTPDataError among them
        return 500 <= error.smtp_code < 600
    return False


def deliver(
    message: EmailMultiAlternatives, *, about: str, pk: int, mail: str, key: str = ""
) -> str:
    """Send the letter now: SENT (now or before), FAILED (try again later),
    BOUNCED (refused for good) or UNCERTAIN (an earlier attempt's worker died).

    `about` and `pk` say what the letter concerns ("Registration", 42), for the log.
    With a `key` (new_key()) the letter goes at most once however often its task
    runs: the attempt is recorded, and committed, before the mail server is asked,
    so a run that finds an attempt whose outcome nobody learned does not send
    again. The letter carries a Message-ID made from the key, by which mail
    systems tell the one letter from a copy. Call it outside a transaction, as a
    task runs: inside one the record would not be committed before sending.
    """
    if key:
        earlier = _claim(key, about=about, pk=pk, mail=mail)
        if earlier:
            return earlier
        message.extra_headers.setdefault("Message-ID", f"<{key}@{DNS_NAME}>")
    try:
        message.send()
    except Exception as error:  # whatever the mail server does
        # The type only: SMTP errors can carry the address.
        if is_permanent(error):
            logger.error(
                "%s %s: %s e-mail refused for good (%s)",
                about,
                pk,
                mail,
                type(error).__name__,
            )
            _settle(key, BOUNCED, about=about, pk=pk, mail=mail)
            return BOUNCED
        logger.warning(
            "%s %s: %s e-mail failed (%s)", about, pk, mail, type(error).__name__
        )
        _release(key, about=about, pk=pk, mail=mail)
        return FAILED
    logger.info("%s %s: %s e-mail sent", about, pk, mail)
    _settle(key, SENT, about=about, pk=pk, mail=mail)
    return SENT


def _claim(key: str, *, about: str, pk: int, mail: str) -> str:
    """Record the attempt, committed; or what became of an earlier one."""
    from .models import SentLetter

    State = SentLetter.State
    with transaction.atomic():
        letter, created = SentLetter.objects.get_or_create(
            key=key,
            defaults={
                "state": State.ATTEMPTING,
                "about": about[:50],
                "object_pk": pk,
                "mail": mail[:30],
            },
        )
    if created:
        return ""
    if letter.state == State.SENT:
        logger.info("%s %s: %s e-mail already sent", about, pk, mail)
        return SENT
    if letter.state == State.BOUNCED:
        logger.info("%s %s: %s e-mail already refused", about, pk, mail)
        return BOUNCED
    # An attempt nobody finished: its worker died before, while or right after
    # the mail server took the letter. Sending again could make it two letters.
    SentLetter.objects.filter(key=key).update(state=State.UNCERTAIN)
    logger.warning(
        "%s %s: %s e-mail may have been sent by a worker that died: not sent again",
        about,
        pk,
        mail,
    )
    return UNCERTAIN


def _settle(key: str, outcome: str, *, about: str, pk: int, mail: str) -> None:
    from .models import SentLetter

    if not key:
        return
    try:
        SentLetter.objects.filter(key=key).update(state=outcome)
    except DatabaseError:
        # The attempt stays recorded: a second run of the task does not send.
        logger.warning("%s %s: %s e-mail %s but not recorded", about, pk, mail, outcome)


def _release(key: str, *, about: str, pk: int, mail: str) -> None:
    """Forget an attempt the mail server did not take, so that a retry sends."""
    from .models import SentLetter

    if not key:
        return
    try:
        SentLetter.objects.filter(key=key).delete()
    except DatabaseError:
        logger.warning("%s %s: %s e-mail failed and not released", about, pk, mail)


def send(
    message: EmailMultiAlternatives, *, about: str, pk: int, mail: str, key: str = ""
) -> bool:
    """Send the letter now; True if the mail server took it, now or before (or
    may have: an uncertain letter is not sent again). See deliver()."""
    outcome = deliver(message, about=about, pk=pk, mail=mail, key=key)
    return outcome in (SENT, UNCERTAIN)


def note_outcome(people, *, address: str, letter: str, outcome: str) -> int:
    """Keep on a person's record whether mail to their address failed for good.

    `people` is the queryset of the record the letter went from, a model with
    `email`, `email_failed_at` and `email_failed_letter`: a refusal is noted while
    the address is still the one refused; a letter that gets through clears it.
    """
    people = people.filter(email=address)
    if outcome == BOUNCED:
        return people.update(email_failed_at=clock.now(), email_failed_letter=letter)
    if outcome == SENT:
        return people.filter(email_failed_at__isnull=False).update(
            email_failed_at=None, email_failed_letter=""
        )
    return 0
