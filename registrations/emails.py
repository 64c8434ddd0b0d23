"""The e-mails of a registration, in the registrant's language, HTML and plain text.

A mail server that fails loses nothing: each e-mail is a task queued with the
change that causes it, and a refused one is tried again later (registrations.tasks).
"""

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext

from events import changes, ics
from events.models import Event
from qualityweek import links as site_links
from qualityweek import mail as site_mail
from qualityweek.mail import BOUNCED, FAILED, NOT_DUE, SENT, UNCERTAIN  # noqa: F401

from . import links, tickets
from .models import Registration

Mail = Registration.Mail
Status = Registration.Status

# An e-mail still due only while the registration is in this status: a retried
# "you have a seat" must not reach someone who has since cancelled.
FITS_STATUS = {
    Mail.CONFIRM_ADDRESS: {Status.PENDING},
    Mail.SEAT: {Status.CONFIRMED},
    Mail.WAITING: {Status.WAITING},
    Mail.PROMOTED: {Status.CONFIRMED},
    Mail.CANCELLED: {Status.CANCELLED},
    Mail.REMINDER: {Status.CONFIRMED},
    Mail.ALREADY_REGISTERED: {
        Status.PENDING,
        Status.CONFIRMED,
        Status.WAITING,
        Status.ONLINE,
    },
    Mail.CHANGED: {Status.CONFIRMED, Status.WAITING, Status.ONLINE},
    Mail.ONLINE: {Status.ONLINE},
    Mail.ONLINE_REMINDER: {Status.ONLINE},
    Mail.STREAM_CHANGED: {Status.ONLINE},
}
# The event goes into the person's calendar from the first e-mail on: the issue's
# "confirmation with the .ics attached"; the seat itself comes with confirming.
WITH_CALENDAR = {
    Mail.CONFIRM_ADDRESS,
    Mail.SEAT,
    Mail.PROMOTED,
    Mail.REMINDER,
    Mail.ONLINE,
}
# A change letter's calendar file is an iTIP message (RFC 5546): REQUEST updates
# the entry the earlier letters put in the person's calendar (same UID, higher
# SEQUENCE), CANCEL removes it.
# Letters to someone with a seat carry the ticket itself, so that it opens at the
# door without the internet: the QR code in the letter and the ticket as a PDF.
WITH_TICKET = {Mail.SEAT, Mail.PROMOTED, Mail.REMINDER}


def subject(mail: str, event: Event, change: changes.Change | None = None) -> str:
    title = {"event": event.title_i18n}
    if mail == Mail.CHANGED:
        return changes.subject(event, change)
    if mail == Mail.CONFIRM_ADDRESS:
        return gettext("Confirm your registration: %(event)s") % title
    if mail == Mail.SEAT:
        return gettext("Your seat is confirmed: %(event)s") % title
    if mail == Mail.WAITING:
        return gettext("You are on the waiting list: %(event)s") % title
    if mail == Mail.PROMOTED:
        return gettext("A seat has become free for you: %(event)s") % title
    if mail == Mail.CANCELLED:
        return gettext("Your registration is cancelled: %(event)s") % title
    if mail == Mail.ONLINE:
        return gettext("You take part online: %(event)s") % title
    if mail == Mail.ONLINE_REMINDER:
        return gettext("The stream starts in an hour: %(event)s") % title
    if mail == Mail.STREAM_CHANGED:
        return gettext("A new stream link: %(event)s") % title
    if mail == Mail.REMINDER:
        return gettext("Reminder: %(event)s on %(date)s") % {
            **title,
            "date": formats.date_format(timezone.localtime(event.start), "j E"),
        }
    return gettext("You are already registered: %(event)s") % title


def context(
    registration: Registration, mail: str, change: changes.Change | None = None
) -> dict:
    event = registration.event
    data = {
        "mail": mail,
        "registration": registration,
        "event": event,
        "venue": event.venue,
        "site_url": settings.QUALITYWEEK_SITE_URL,
        "status_url": links.status_url(registration),
        "cancel_url": links.cancel_url(registration),
        "event_url": site_links.absolute(event.get_absolute_url()),
        "policy_url": site_links.absolute(reverse("privacy")),
        "expiry_hours": int(links.CONFIRMATION_MAX_AGE.total_seconds() // 3600),
        "register_url": site_links.absolute(links.sign_up_path(registration)),
        "addressee": addressee(registration),
        "stream_url": event.stream_url,
    }
    if registration.status == Status.PENDING:
        data["confirm_url"] = links.confirm_url(registration)
    if registration.status == Status.WAITING:
        data["position"] = Registration.objects.ahead_of(registration).count() + 1
    if change is not None:
        data.update(changes.letter_context(change))
    return data


def calendar_method(change: changes.Change) -> str:
    return changes.letter_context(change)["calendar_method"]


def addressee(registration: Registration) -> str:
    """Whom «Здравствуйте, …!» greets: in Russian the name and patronymic,
    without the surname; in English the name alone."""
    if registration.language.startswith("ru"):
        parts = (registration.name, registration.patronymic)
    else:
        parts = (registration.name,)
    return " ".join(part for part in parts if part)


def build(
    registration: Registration, mail: str, change: changes.Change | None = None
) -> site_mail.Letter:
    """The message, rendered in the registrant's language; a letter about an
    event's change names the `change`."""
    images = []
    if mail in WITH_TICKET:
        images.append(
            site_mail.InlineImage(
                cid=f"qr-{registration.ticket_code}@{DNS_NAME}",
                filename=f"qr-{registration.ticket_code}.png",
                content=tickets.qr_png(registration),
            )
        )

    def letter_context():
        return {
            **context(registration, mail, change),
            "qr_src": images[0].src if images else "",
        }

    def attachments():
        event = registration.event
        if mail in WITH_TICKET:
            yield site_mail.Attachment(
                tickets.ticket_filename(registration),
                tickets.ticket_pdf(registration),
                "application/pdf",
            )
        if mail in WITH_CALENDAR:
            yield site_mail.Attachment(
                f"{event.slug}.ics", event_calendar(event), "text/calendar"
            )
        if change is not None:
            method = calendar_method(change)
            yield site_mail.Attachment(
                f"{event.slug}.ics",
                event_calendar(event, method=method, attendee=registration.email),
                f"text/calendar; method={method}",
            )

    return site_mail.render(
        f"registrations/email/{mail}",
        to=registration.email,
        language=registration.language,
        subject=lambda: subject(mail, registration.event, change),
        context=letter_context,
        attachments=attachments,
        images=images,
    )


def event_calendar(event: Event, *, method: str = "", attendee: str = "") -> bytes:
    """The event as a calendar file; with an iTIP `method` (REQUEST, CANCEL) it
    updates or removes the entry of the `attendee`'s calendar."""
    calendar = ics.build_calendar(
        [event], name=event.title_i18n, description=event.summary_i18n
    )
    if method:
        ics.make_itip(calendar, method=method, attendee=attendee)
    return calendar.to_ical()


def send(
    registration_pk: int,
    mail: str,
    *,
    letter: str = "",
    notice: int | None = None,
    link: str = "",
) -> str:
    """Send one e-mail now if it is still due: SENT, NOT_DUE, FAILED, BOUNCED
    (noted on the registration) or UNCERTAIN. A letter about a new stream link
    is due while the event's link is still the `link` it was written for."""
    registration = (
        Registration.objects.select_related("event__venue__region", "event__edition")
        .filter(pk=registration_pk)
        .first()
    )
    if (
        registration is None
        or registration.erased_at
        or registration.status not in FITS_STATUS[mail]
    ):
        return NOT_DUE
    if mail == Mail.STREAM_CHANGED and not _still_streamed_at(registration.event, link):
        return NOT_DUE  # changed again (its own letter goes), removed, or over
    change = None
    if mail == Mail.CHANGED:
        change = changes.notice_change(notice)
        if change is None:
            return NOT_DUE
    message = build(registration, mail, change)
    outcome = site_mail.deliver(
        message, about="Registration", pk=registration.pk, mail=mail, key=letter
    )
    site_mail.note_outcome(
        Registration.objects.filter(pk=registration.pk),
        address=registration.email,
        letter=mail,
        outcome=outcome,
    )
    return outcome


def _still_streamed_at(event: Event, link: str) -> bool:
    return (
        bool(link)
        and event.stream_url == link
        and not event.is_cancelled
        and not event.has_ended()
    )


def change_preview(event: Event, change: changes.Change) -> dict:
    """The change letter as its readers would get it, for the organiser to read
    before saving: the greeting names nobody."""
    registration = Registration(
        event=event,
        status=Status.CONFIRMED,
        name=gettext("<first name>"),
        language=get_language() or settings.LANGUAGE_CODE,
    )
    data = {
        **context(registration, Mail.CHANGED, change),
        "addressee": gettext("<first name>"),
        "status_url": site_links.absolute("/registrations/…/"),
        "cancel_url": site_links.absolute("/registrations/…/cancel/"),
        "preview": True,
    }
    return {
        "subject": changes.subject(event, change),
        "html": render_to_string(f"registrations/email/{Mail.CHANGED}.html", data),
        "text": render_to_string(f"registrations/email/{Mail.CHANGED}.txt", data),
    }
