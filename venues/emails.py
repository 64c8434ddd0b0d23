"""The e-mails an applicant gets: received, approved (with the connection
instructions), rejected, withdrawn — in their language."""

import datetime
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from events import changes, embeds
from events.models import Event
from qualityweek import links
from qualityweek import mail as site_mail
from qualityweek.mail import BOUNCED, FAILED, NOT_DUE, SENT, UNCERTAIN  # noqa: F401

from .models import VenueApplication, VenueCall

RECEIVED = "received"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
INSTRUCTIONS = "instructions_updated"
CHANGED = "changed"  # the regional day's time, place, format or status
# The letters that tell how to connect reach the technical contact too.
WITH_TECHNICAL_CONTACT = {APPROVED, INSTRUCTIONS}

PAGE_SALT = "venues.page"


def page_link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.QUALITYWEEK_VENUE_LINK_DAYS)


def page_url(application: VenueApplication) -> str:
    """The venue's own page: its state, and the instructions once approved."""
    signed = links.sign(application.access_key, salt=PAGE_SALT)
    return links.absolute(reverse("venues:page", kwargs={"signed": signed}))


def regional_day(edition) -> Event | None:
    """The edition's published regional day, which venues connect to."""
    return (
        Event.objects.published()
        .of_edition(edition)
        .of_kind(Event.Kind.REGIONAL_DAY)
        .select_related("venue")
        .order_by("start")
        .first()
    )


def subject(
    mail: str, application: VenueApplication, change: changes.Change | None = None
) -> str:
    if change is not None:
        return changes.subject(regional_day(application.edition), change)
    venue = {"venue": application.venue_name}
    return {
        APPROVED: gettext("Your venue is approved: %(venue)s"),
        REJECTED: gettext("Your venue application was not approved: %(venue)s"),
        WITHDRAWN: gettext("Your venue application is withdrawn: %(venue)s"),
        INSTRUCTIONS: gettext("New connection instructions: %(venue)s"),
    }.get(mail, gettext("We have received your venue application: %(venue)s")) % venue


def build(
    application: VenueApplication, mail: str, change: changes.Change | None = None
):
    """The letter in the applicant's language; one about a change of the
    regional day names the `change`."""

    def context():
        return {
            **(changes.letter_context(change) if change is not None else {}),
            "mail": mail,
            "application": application,
            "call": VenueCall.objects.of_edition(application.edition).first(),
            "event": regional_day(application.edition),
            "page_url": page_url(application),
            # The region's programme for the venue's own site (approval letter).
            "embed_snippet": embeds.region_snippet(application.region),
            "regional_day_url": links.absolute(reverse("registrations:regional_day")),
            "new_url": links.absolute(reverse("venues:new")),
            "policy_url": links.absolute(reverse("privacy")),
        }

    message = site_mail.render(
        f"venues/email/{mail}",
        to=application.email,
        language=application.language,
        subject=lambda: subject(mail, application, change),
        context=context,
    )
    if mail in WITH_TECHNICAL_CONTACT and application.tech_email:
        # The technical contact sets up the connection: they read it too.
        message.cc = [application.tech_email]
    return message


def send(
    application_pk: int, mail: str, *, letter: str = "", notice: int | None = None
) -> str:
    """Send one e-mail now if the application still holds an address; a letter
    about a change of the regional day (`notice`) only to an approved venue."""
    application = (
        VenueApplication.objects.select_related("region", "edition")
        .filter(pk=application_pk, erased_at__isnull=True)
        .first()
    )
    if application is None:
        return NOT_DUE
    change = None
    if mail == CHANGED:
        change = changes.notice_change(notice)
        if change is None or application.status != VenueApplication.Status.APPROVED:
            return NOT_DUE
    message = build(application, mail, change)
    outcome = site_mail.deliver(
        message, about="Venue application", pk=application.pk, mail=mail, key=letter
    )
    site_mail.note_outcome(
        VenueApplication.objects.filter(pk=application.pk),
        address=application.email,
        letter=mail,
        outcome=outcome,
    )
    return outcome


def instructions_version(call: VenueCall) -> str:
    """The version of the instructions a letter carries: when they last changed."""
    changed_at = call.instructions_changed_at
    return changed_at.astimezone(datetime.UTC).isoformat() if changed_at else ""


def send_instructions(application_pk: int, version: str) -> str:
    """Send the instructions now if the venue is approved and they are still this
    version; sent once per venue and version however often the task runs."""
    application = (
        VenueApplication.objects.approved()
        .select_related("region", "edition")
        .filter(pk=application_pk)
        .first()
    )
    if application is None:
        return NOT_DUE
    call = VenueCall.objects.of_edition(application.edition).first()
    if call is None or instructions_version(call) != version:
        return NOT_DUE
    message = build(application, INSTRUCTIONS)
    key = uuid.uuid5(
        uuid.NAMESPACE_URL, f"venue-instructions/{application.pk}/{version}"
    )
    outcome = site_mail.deliver(
        message,
        about="Venue application",
        pk=application.pk,
        mail=INSTRUCTIONS,
        key=key.hex,
    )
    site_mail.note_outcome(
        VenueApplication.objects.filter(pk=application.pk),
        address=application.email,
        letter=INSTRUCTIONS,
        outcome=outcome,
    )
    return outcome


def change_preview(event: Event, change: changes.Change) -> dict:
    """The letter an approved venue would get about a change of the regional
    day, for the organiser to read before saving: it names no venue."""
    from django.template.loader import render_to_string

    placeholder = gettext("<venue>")
    data = {
        **changes.letter_context(change),
        "application": VenueApplication(
            contact_name=gettext("<first name>"), venue_name=placeholder
        ),
        "event": event,
        "page_url": links.absolute("/regional-venues/…/"),
        "regional_day_url": links.absolute(reverse("registrations:regional_day")),
        "policy_url": links.absolute(reverse("privacy")),
    }
    return {
        "subject": changes.subject(event, change),
        "html": render_to_string(f"venues/email/{CHANGED}.html", data),
        "text": render_to_string(f"venues/email/{CHANGED}.txt", data),
    }
