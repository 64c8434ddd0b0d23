"""Writes that apply the rules of venue applications: the forms and admin call these."""

import datetime
import enum
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from events import certificates, respondents
from events.models import Edition, Event
from qualityweek import clock, personal_data
from qualityweek import mail as site_mail
from qualityweek.models import ConsentText

from . import emails, tasks
from .models import VenueApplication, VenueCall, new_key

logger = logging.getLogger(__name__)

# What an applicant writes; the form's fields of the same names.
SUBMITTED_FIELDS = [
    "region",
    "city",
    "venue_name",
    "address",
    "organising_body",
    "audience",
    "contact_name",
    "email",
    "phone",
    "tech_name",
    "tech_email",
    "tech_phone",
    "note",
]
# What erasure blanks: the two people's names and ways to reach them.
PERSONAL_FIELDS = [
    "contact_name",
    "email",
    "phone",
    "tech_name",
    "tech_email",
    "tech_phone",
]


class VenueError(Exception):
    """A refusal whose (translated) message is safe to show to the visitor."""


class CallState(enum.StrEnum):
    """Where the edition's call for venues stands by the site clock."""

    UNANNOUNCED = "unannounced"  # organisers have not set the dates yet
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def call_of(edition: Edition | None) -> VenueCall | None:
    if edition is None:
        return None
    return VenueCall.objects.of_edition(edition).first()


def call_state(call: VenueCall | None) -> CallState:
    """The one rule of the window: every page and the form ask it."""
    if call is None:
        return CallState.UNANNOUNCED
    now = clock.now()
    if now < call.opens_at:
        return CallState.NOT_YET
    if now >= call.closes_at:
        return CallState.CLOSED
    return CallState.OPEN


def consent_text() -> ConsentText | None:
    return ConsentText.objects.in_force(ConsentText.Purpose.VENUE_APPLICATION)


def _send_mail(application: VenueApplication, mail: str) -> None:
    # A task row in this transaction: no letter for a change that rolls back.
    tasks.send_mail.enqueue(application.pk, mail, letter=site_mail.new_key())


@transaction.atomic
def submit(
    edition: Edition, data: dict, *, language: str, key=None
) -> VenueApplication:
    """Record a venue's application, to be moderated; the applicant gets a receipt.

    A second submission with the form's `key` (a double click) returns the first
    one's application, and stores and sends nothing.
    """
    earlier = _submitted_with(key)
    if earlier is not None:
        return earlier
    # The window is read in the transaction that stores: a form shown a minute
    # before the call closed is refused after it, with the reason.
    if call_state(call_of(edition)) != CallState.OPEN:
        raise VenueError(gettext("Applications from regional venues are closed."))
    consent = consent_text()
    if consent is None or not data.get("consent"):
        raise VenueError(
            gettext("Please agree to the processing of your personal data.")
        )
    values = {field: data.get(field) or "" for field in SUBMITTED_FIELDS}
    values.update(region=data["region"], audience=data["audience"])
    application = VenueApplication(
        edition=edition,
        language=language,
        consent_text=consent,
        consent_given_at=clock.now(),
        **values,
    )
    application.email = application.email.strip().lower()
    application.tech_email = application.tech_email.strip().lower()
    application.submission_key = key
    try:
        # A savepoint: PostgreSQL lets a click that waited on the first one's
        # key find that application in this transaction.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        earlier = _submitted_with(key)
        if earlier is None:
            raise
        return earlier
    logger.info("Venue application %s: submitted", application.pk)
    _send_mail(application, emails.RECEIVED)
    return application


def _submitted_with(key) -> VenueApplication | None:
    if not key:
        return None
    return VenueApplication.objects.filter(submission_key=key).first()


def _lock(application: VenueApplication) -> VenueApplication:
    return VenueApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def approve(application: VenueApplication) -> bool:
    """Let a pending or rejected venue connect; False if there was nothing to do."""
    application = _lock(application)
    if application.erased_at or application.status in (
        VenueApplication.Status.APPROVED,
        VenueApplication.Status.WITHDRAWN,
    ):
        return False
    application.mark_approved()
    application.save()
    logger.info("Venue application %s: approved", application.pk)
    _send_mail(application, emails.APPROVED)
    return True


@transaction.atomic
def reject(application: VenueApplication, *, reason: str) -> bool:
    """Refuse an application with a reason the applicant reads."""
    reason = reason.strip()
    if not reason:
        raise VenueError(gettext("Write the reason the applicant will read."))
    application = _lock(application)
    if application.erased_at or application.status == (
        VenueApplication.Status.WITHDRAWN
    ):
        return False
    if (
        application.status == VenueApplication.Status.REJECTED
        and application.rejection_reason == reason
    ):
        return False
    application.mark_rejected(reason)
    application.save()
    logger.info("Venue application %s: rejected", application.pk)
    _send_mail(application, emails.REJECTED)
    return True


@transaction.atomic
def withdraw(application: VenueApplication) -> bool:
    """The venue's own decision not to connect; False if it had nothing to withdraw."""
    application = _lock(application)
    if not application.is_open_to_withdraw:
        return False
    application.status = VenueApplication.Status.WITHDRAWN
    application.withdrawn_at = clock.now()
    application.save()
    logger.info("Venue application %s: withdrawn", application.pk)
    _send_mail(application, emails.WITHDRAWN)
    return True


INSTRUCTION_FIELDS = ("instructions", "instructions_en")


@transaction.atomic
def save_call(call: VenueCall) -> int:
    """Save the call; when its instructions changed, every approved venue is
    written to with them. Returns how many venues will be."""
    stored = None
    if call.pk is not None:
        # Lock first: of two organisers saving at once, the second compares its
        # text with what the first stored, and each change is one version.
        stored = (
            VenueCall.objects.select_for_update()
            .filter(pk=call.pk)
            .values(*INSTRUCTION_FIELDS)
            .first()
        )
    changed = any(
        getattr(call, field).strip() != (stored[field] if stored else "").strip()
        for field in INSTRUCTION_FIELDS
    )
    if changed:
        call.instructions_changed_at = clock.now()
    call.save()
    if not changed or not (call.instructions or call.instructions_en):
        return 0  # cleared instructions leave the venues' pages, no letter says so
    logger.info("Venue call %s: instructions changed", call.pk)
    return _send_instructions(call)


@transaction.atomic
def stream_link_changed(event_pk: int) -> int:
    """The regional day's stream link changed: the approved venues of its edition
    get the instructions with the new link. Returns how many venues will."""
    event = Event.objects.filter(pk=event_pk).select_related("edition").first()
    if event is None or emails.regional_day(event.edition) != event:
        return 0  # not the day venues connect to, or not published
    call = (
        VenueCall.objects.select_for_update()
        .filter(edition_id=event.edition_id)
        .first()
    )
    if call is None:
        return 0
    call.instructions_changed_at = clock.now()
    call.save(update_fields=["instructions_changed_at"])
    logger.info("Venue call %s: stream link of event %s changed", call.pk, event.pk)
    return _send_instructions(call)


def _send_instructions(call: VenueCall) -> int:
    # A letter per venue and version, sent after a pause: a letter whose version
    # is no longer the latest when it comes due is dropped, so the edits of those
    # minutes make one letter with the last text.
    version = emails.instructions_version(call)
    delay = settings.QUALITYWEEK_VENUE_INSTRUCTIONS_DELAY
    task = tasks.send_instructions
    if delay:
        # The queue runs on real time, whatever the site clock says.
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    venues = list(
        VenueApplication.objects.of_edition(call.edition_id)
        .approved()
        .values_list("pk", flat=True)
    )
    for application_pk in venues:
        task.enqueue(application_pk, version)
    return len(venues)


def applications_of(email: str):
    """The person's applications that still hold their data, as either contact."""
    email = email.strip()
    return VenueApplication.objects.filter(
        Q(email__iexact=email) | Q(tech_email__iexact=email),
        erased_at__isnull=True,
    ).select_related("region", "consent_text")


def due_for_purge(cutoff: datetime.datetime):
    """Applications whose edition ended, or that ended, before the cutoff."""
    cutoff_day = timezone.localtime(cutoff).date()
    unerased = VenueApplication.objects.filter(erased_at__isnull=True)
    return (
        unerased.filter(edition__last_day__lt=cutoff_day)
        | unerased.filter(
            status=VenueApplication.Status.REJECTED, moderated_at__lt=cutoff
        )
        | unerased.filter(
            status=VenueApplication.Status.WITHDRAWN, withdrawn_at__lt=cutoff
        )
    )


def personal_record(application: VenueApplication) -> dict:
    """One application as the person may read it."""
    return {
        "venue_name": application.venue_name,
        "city": application.city,
        "region": application.region.code,
        "address": application.address,
        "organising_body": application.organising_body,
        "status": application.status,
        **{field: getattr(application, field) for field in PERSONAL_FIELDS},
        "note": application.note,
        "language": application.language,
        **personal_data.consent_record(application.consent_text),
        "consent_given_at": personal_data.moment(application.consent_given_at),
        "submitted_at": personal_data.moment(application.submitted_at),
        "certificates": certificates.personal_records("venues", application.pk),
    }


@transaction.atomic
def erase_personal_data(application: VenueApplication) -> VenueApplication:
    """Blank both contacts and the note; the venue leaves the public lists."""
    application = _lock(application)
    if application.erased_at:
        return application
    for field in PERSONAL_FIELDS:
        setattr(application, field, "")
    application.note = ""  # free text: it may name people
    certificates.erase("venues", application.pk)  # the name they print
    application.access_key = new_key()
    application.erased_at = clock.now()
    application.save()
    # The survey's invitation no longer names the venue; the answers stay.
    respondents.forget("venues", application.pk)
    logger.info("Venue application %s: personal data erased", application.pk)
    return application


class ApprovedVenues:
    """The venues' side of a change of an event (events.changes): the approved
    venues connect to the regional day, so a change of its time, place, format or
    status reaches each of them as one letter, and a new stream link with the
    instructions."""

    def audience(self, event: Event) -> int:
        return connected(event).count()

    def preview(self, event: Event, change) -> dict | None:
        count = self.audience(event)
        if not count:
            return None
        return {
            "who": gettext("Approved regional venues"),
            "count": count,
            **emails.change_preview(event, change),
        }

    def changed(self, event: Event, change) -> None:
        if change.changed("stream_url") and event.stream_url:
            stream_link_changed(event.pk)

    def announce(self, event: Event, change, *, notice: int) -> int:
        venues = list(connected(event).values_list("pk", flat=True))
        for pk in venues:
            tasks.send_mail.enqueue(
                pk, emails.CHANGED, letter=site_mail.new_key(), notice=notice
            )
        return len(venues)


def connected(event: Event):
    """The venues a change of the event concerns: the approved venues of its
    edition, when it is the regional day they connect to."""
    if emails.regional_day(event.edition) != event:
        return VenueApplication.objects.none()
    return VenueApplication.objects.approved().of_edition(event.edition_id)
