"""Certificates: who gets one, issuing, reissuing, the PDF and the letter.

A feature app says what earns a certificate by registering a `Source` from its
`AppConfig.ready()` (registrations: a checked-in participant; venues: an approved
venue; activations: an approved activation's company), and a periodic job that
runs `events.tasks.issue_certificates` for its label after the event. Issuing is
idempotent: one certificate in force per holder (a database constraint), one
letter per certificate (its SentLetter key).
"""

import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from qualityweek import clock, links, pdf, personal_data
from qualityweek import mail as site_mail

from .models import Certificate
from .templatetags.events_tags import daterange

logger = logging.getLogger(__name__)

DOWNLOAD_SALT = "events.certificate"


@dataclass(frozen=True)
class Source:
    """What earns a certificate in one feature app."""

    label: str  # its key on the certificate: "registrations"
    kind: str  # a Certificate.Kind
    model: type[models.Model]
    # The rows that have earned one by this moment (the event is over).
    due: Callable[[datetime.datetime], models.QuerySet]
    # Called in the holder's language: the name printed, and what for.
    holder: Callable[[models.Model], str]
    subject: Callable[[models.Model], str]
    email: Callable[[models.Model], str]
    # The holder's own page on the site, where the certificate is offered.
    page_url: Callable[[models.Model], str]
    # A person: the public verification page shows initials only.
    is_person: bool = False


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Declare what earns a certificate (from an app's ready())."""
    _sources[source.label] = source


def is_person(certificate: Certificate) -> bool:
    """Whether its holder is a person; unknown sources count as people."""
    found = _sources.get(certificate.source)
    return found is None or found.is_person


def _row(certificate: Certificate):
    """The record the certificate is for, if it is still there and not erased."""
    found = _sources.get(certificate.source)
    if found is None:
        return None
    return found.model._default_manager.filter(
        pk=certificate.object_pk, erased_at__isnull=True
    ).first()


def current(label: str, object_pk: int) -> Certificate | None:
    """The holder's certificate in force, once issued."""
    return (
        Certificate.objects.current()
        .of(label, object_pk)
        .filter(erased_at__isnull=True)
        .select_related("edition")
        .first()
    )


def _fields(found: Source, row) -> dict:
    language = getattr(row, "language", "ru") or "ru"
    with translation.override(language):
        return {
            "kind": found.kind,
            "source": found.label,
            "object_pk": row.pk,
            "edition_id": row.edition_id
            if hasattr(row, "edition_id")
            else row.event.edition_id,
            "holder": found.holder(row)[:300],
            "subject": found.subject(row)[:300],
            "language": language,
        }


def issue_due(label: str) -> list[int]:
    """Issue a certificate to every holder of the source who has earned one and
    has none yet; queue the letters not yet sent. The new certificates' pks."""
    from . import tasks

    found = _sources[label]
    issued = []
    have = Certificate.objects.current().filter(source=label).values("object_pk")
    for row in found.due(clock.now()).exclude(pk__in=have):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(**_fields(found, row))
        except IntegrityError:
            continue  # another run issued it meanwhile
        issued.append(certificate.pk)
    for pk in (
        Certificate.objects.unmailed().filter(source=label).values_list("pk", flat=True)
    ):
        tasks.send_certificate.enqueue(pk)
    logger.info("Certificates %s: %s issued", label, len(issued))
    return issued


@transaction.atomic
def reissue(certificate: Certificate) -> Certificate:
    """A new certificate in place of this one (a corrected name, a lost letter):
    a new code, the old one marked replaced; the letter goes again."""
    from . import tasks

    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.replaced_by_id:
        return old.replaced_by  # a second click reissues nothing more
    row = _row(old)
    fields = (
        _fields(_sources[old.source], row)
        if row is not None
        else {
            "kind": old.kind,
            "source": old.source,
            "object_pk": old.object_pk,
            "edition_id": old.edition_id,
            "holder": old.holder,
            "subject": old.subject,
            "language": old.language,
        }
    )
    old.replaced_at = clock.now()
    old.save(update_fields=["replaced_at"])
    new = Certificate.objects.create(**fields)
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    if row is not None:
        tasks.send_certificate.enqueue(new.pk)
    return new


def erase(label: str, object_pk: int) -> int:
    """Blank the holder's name on all their certificates, for good."""
    return (
        Certificate.objects.of(label, object_pk)
        .filter(erased_at__isnull=True)
        .update(holder="", erased_at=clock.now())
    )


def personal_records(label: str, object_pk: int) -> list[dict]:
    """The holder's certificates as a person's data export gives them (replaced
    ones too: their codes still answer on the verification page)."""
    moment = personal_data.moment
    return [
        {
            "code": certificate.code,
            "kind": certificate.kind,
            "holder": certificate.holder,
            "issued_for": certificate.subject,
            "edition": certificate.edition.year,
            "issued_at": moment(certificate.issued_at),
            "replaced_at": moment(certificate.replaced_at),
            "verification_url": verification_url(certificate),
        }
        for certificate in Certificate.objects.of(label, object_pk)
        .filter(erased_at__isnull=True)
        .select_related("edition")
        .order_by("issued_at", "pk")
    ]


def initials(name: str) -> str:
    """«Иванов Иван Иванович» → «И. И. И.»: a name no one can be found by."""
    return " ".join(f"{word[0].upper()}." for word in name.split() if word[0].isalpha())


def verification_url(certificate: Certificate) -> str:
    return links.absolute(certificate.get_absolute_url())


def download_url(certificate: Certificate) -> str:
    """The PDF, with the full name: a signed link, for the holder's own pages."""
    signed = links.sign(certificate.code, salt=DOWNLOAD_SALT)
    return reverse("events:certificate_pdf", kwargs={"signed": signed})


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as one landscape A4 page, in the holder's language."""
    from .brand import logo_for_pdf

    edition = certificate.edition
    with translation.override(certificate.language):
        site = gettext("World Quality Week")
        heading = (
            gettext("Certificate of attendance")
            if certificate.kind == Certificate.Kind.ATTENDANCE
            else gettext("Certificate of participation")
        )
        document = pdf.Document(
            title=f"{heading} {certificate.code}",
            author=site,
            language=certificate.language,
            orientation="L",
        )
        document.set_auto_page_break(False)
        document.set_margins(24, 20, 24)
        document.add_page()
        # The week's navy band along the top, a gold rule under it.
        document.set_fill_color(*pdf.NAVY)
        document.rect(0, 0, document.w, 34, style="F")
        document.set_fill_color(*pdf.GOLD)
        document.rect(0, 34, document.w, 2, style="F")
        logo_for_pdf(document, edition, x=24, y=8, h=18)
        document.set_xy(24, 12)
        document.set_font("Manrope", "B", 11)
        document.set_text_color(255, 255, 255)
        document.cell(0, 10, edition.title_i18n.upper(), align="R")

        # The name stands alone, as written: Russian would decline it after
        # «выдан», and a machine declines names badly.
        document.set_xy(24, 58)
        document.text_block(heading.upper(), size=32, bold=True, align="C", after=14)
        document.text_block(
            certificate.holder or "—", size=28, bold=True, align="C", after=10
        )
        document.text_block(
            gettext("for attending")
            if certificate.kind == Certificate.Kind.ATTENDANCE
            else gettext("for taking part with"),
            size=13,
            colour=pdf.MUTED,
            align="C",
            after=3,
        )
        document.text_block(
            f"«{certificate.subject}»", size=18, bold=True, align="C", after=8
        )
        document.text_block(
            " · ".join(
                filter(
                    None,
                    [
                        site,
                        edition.motto_i18n,
                        daterange(edition.first_day, edition.last_day),
                    ],
                )
            ),
            size=11,
            colour=pdf.NAVY_2,
            align="C",
        )

        # The foot: issue date and code on the left, the QR code on the right.
        qr = 34
        bottom = document.h - 16
        document.image(
            io.BytesIO(pdf.qr_png(verification_url(certificate))),
            x=document.w - 24 - qr,
            y=bottom - qr,
            w=qr,
            h=qr,
        )
        document.set_xy(24, bottom - 22)
        issued = formats.date_format(
            timezone.localtime(certificate.issued_at).date(), "j E Y"
        )
        document.text_block(
            gettext("Issued %(date)s") % {"date": issued},
            size=11,
            width=document.epw - qr - 8,
            after=1,
        )
        document.text_block(
            gettext("Certificate No. %(code)s") % {"code": certificate.code},
            size=10,
            colour=pdf.MUTED,
            width=document.epw - qr - 8,
        )
        document.text_block(
            gettext("Check it: %(url)s") % {"url": verification_url(certificate)},
            size=8,
            colour=pdf.MUTED,
            width=document.epw - qr - 8,
        )
        return bytes(document.output())


def send(certificate_pk: int) -> str:
    """Send the letter with the certificate, once, if the holder can be written to."""
    certificate = (
        Certificate.objects.unmailed()
        .select_related("edition")
        .filter(pk=certificate_pk)
        .first()
    )
    row = None if certificate is None else _row(certificate)
    if row is None:
        return site_mail.NOT_DUE
    found = _sources[certificate.source]
    address = found.email(row)
    if not address:
        return site_mail.NOT_DUE
    message = site_mail.render(
        "events/email/certificate",
        to=address,
        language=certificate.language,
        subject=lambda: (
            gettext("Your certificate: %(subject)s") % {"subject": certificate.subject}
        ),
        context=lambda: {
            "certificate": certificate,
            "kind": certificate.get_kind_display(),
            "page_url": found.page_url(row),
            "policy_url": links.absolute(reverse("privacy")),
            "verification_url": verification_url(certificate),
        },
        attachments=lambda: [
            site_mail.Attachment(
                filename(certificate), certificate_pdf(certificate), "application/pdf"
            )
        ],
    )
    outcome = site_mail.deliver(
        message,
        about="Certificate",
        pk=certificate.pk,
        mail="certificate",
        key=certificate.letter_key,
    )
    if outcome != site_mail.FAILED:
        Certificate.objects.filter(pk=certificate.pk).update(mailed_at=clock.now())
    return outcome


@dataclass(frozen=True)
class Offer:
    """What the holder's own page shows once the certificate is issued."""

    certificate: Certificate
    url: str


def offer(label: str, object_pk: int) -> Offer | None:
    certificate = current(label, object_pk)
    if certificate is None:
        return None
    return Offer(certificate, download_url(certificate))
