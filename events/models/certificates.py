"""Certificates of attendance and participation, and the week's brand assets.

A certificate belongs to whatever a feature app says it is for (a checked-in
registration, an approved venue, an approved activation): the app registers a
`events.certificates.Source` and the row names it by its label and primary key,
so that `events` imports none of them.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualityweek import clock

from .editions import Edition


def new_code() -> str:
    """A code nobody can guess: 128 random bits, in a URL as it is."""
    return secrets.token_urlsafe(16)


def new_letter_key() -> str:
    return uuid.uuid4().hex


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """The certificates in force: not replaced by a newer one."""
        return self.filter(replaced_at__isnull=True)

    def of(self, source: str, object_pk: int):
        return self.filter(source=source, object_pk=object_pk)

    def unmailed(self):
        return self.current().filter(mailed_at__isnull=True, erased_at__isnull=True)


class Certificate(models.Model):
    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("certificate of attendance")
        PARTICIPATION = "participation", _("certificate of participation")

    code = models.CharField(
        _("code"), max_length=32, unique=True, default=new_code, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What it is for: the source's label ("registrations") and the row's pk.
    source = models.CharField(_("issued for"), max_length=30, editable=False)
    object_pk = models.PositiveBigIntegerField(_("record"), editable=False)
    edition = models.ForeignKey(
        Edition,
        models.PROTECT,
        verbose_name=_("edition"),
        related_name="certificates",
    )
    # As printed: a person's full name, or a company's or venue's name. Blanked
    # when the holder's personal data are erased.
    holder = models.CharField(_("holder"), max_length=300, blank=True)
    # What was attended or done: the event's or activation's title.
    subject = models.CharField(_("for"), max_length=300)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="ru"
    )
    issued_at = models.DateTimeField(_("issued"), default=clock.now, editable=False)
    # The letter that carries it goes once (qualityweek.mail's SentLetter key).
    letter_key = models.CharField(
        _("letter key"), max_length=32, default=new_letter_key, editable=False
    )
    mailed_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    replaced_at = models.DateTimeField(
        _("replaced"), null=True, blank=True, editable=False
    )
    replaced_by = models.OneToOneField(
        "self",
        models.SET_NULL,
        verbose_name=_("replaced by"),
        related_name="replaces",
        null=True,
        blank=True,
        editable=False,
    )
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One certificate in force per holder: the issuing job may run twice.
            models.UniqueConstraint(
                fields=["source", "object_pk"],
                condition=Q(replaced_at__isnull=True),
                name="one_current_certificate_per_holder",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"

    def get_absolute_url(self):
        return reverse("events:certificate", kwargs={"code": self.code})

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class BrandKit(models.Model):
    """The images an edition's posters, cards and certificates carry; the site's
    own logo and a plain background when organisers upload none."""

    edition = models.OneToOneField(
        Edition, models.CASCADE, verbose_name=_("edition"), related_name="brand_kit"
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="brand/",
        blank=True,
        help_text=_("On posters, cards and certificates; PNG with transparency."),
    )
    background = models.ImageField(
        _("background"),
        upload_to="brand/",
        blank=True,
        help_text=_("Behind the card's text and the poster's top; a dark image."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("brand assets")
        verbose_name_plural = _("brand assets")

    def __str__(self):
        return str(self.edition)
