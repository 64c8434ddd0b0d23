"""Businesses' own activations during the week: open days, offers, contests."""

import copy
import datetime
import secrets

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Edition, Event, Region
from qualityweek import images
from qualityweek.public_entries import ModeratedEntry


def new_key() -> str:
    return secrets.token_urlsafe(32)


# A correction's key that says the image goes, with no new one in its place.
REMOVES_IMAGE = "remove_image"


def to_json(name: str, value):
    """A submitted field's value as a correction holds it: days ISO, region by code."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Region):
        return value.code
    return value


def from_json(name: str, value):
    """The value a correction holds as the field takes it."""
    if name in ("first_day", "last_day"):
        return datetime.date.fromisoformat(value)
    if name == "region":
        return Region.objects.get(code=value)
    return value


class ActivationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Activation.Status.APPROVED, erased_at__isnull=True)

    def pending(self):
        return self.filter(status=Activation.Status.PENDING)

    def with_waiting_correction(self):
        """Approved activations whose submitter's correction awaits moderation."""
        return self.filter(correction__isnull=False)

    def of_edition(self, edition):
        return self.filter(edition=edition)

    def during_day(self, day: datetime.date):
        return self.filter(first_day__lte=day, last_day__gte=day)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def in_region(self, region: Region):
        return self.filter(region=region)

    def in_format(self, format: str):
        online = ~Q(online_url="")
        in_person = ~Q(address="")
        if format == Event.Format.ONLINE:
            return self.filter(online, ~in_person)
        if format == Event.Format.OFFLINE:
            return self.filter(in_person, ~online)
        if format == Event.Format.HYBRID:
            return self.filter(online, in_person)
        return self.none()  # an activation's format is always known

    def for_listing(self):
        """All that the public list, the schedule and the feed render: one query."""
        return self.select_related("region", "edition").order_by(
            "first_day", "last_day", "title", "pk"
        )


class Activation(ModeratedEntry):
    """A company's own activation during the week, shown once organisers approve it."""

    class Kind(models.TextChoices):
        OPEN_DAY = "open_day", _("Open day")
        EXCURSION = "excursion", _("Factory excursion")
        OFFER = "offer", _("Special offer or privilege programme")
        CONTEST = "contest", _("«Quality Leader» contest")
        BRANDING = "branding", _("Quality Day branding")
        OTHER = "other", _("Other activation")

    edition = models.ForeignKey(
        Edition, models.PROTECT, verbose_name=_("edition"), related_name="activations"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    company_name = models.CharField(_("company"), max_length=300)
    inn = models.CharField(_("INN"), max_length=12)
    region = models.ForeignKey(
        Region, models.PROTECT, verbose_name=_("region"), related_name="activations"
    )
    city = models.CharField(_("city or town"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=3000)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    website = models.URLField(_("company website"), max_length=300, blank=True)
    image = images.ThumbnailedImageField(
        _("image"),
        upload_to="activations/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # The contact person: for organisers only, never on a public page.
    contact_name = models.CharField(_("contact person"), max_length=200)

    # A correction of an approved activation waits here, beside the published
    # version that every page, list and calendar keeps showing until organisers
    # approve it: the fields it changes (days ISO, the region by its code, and
    # REMOVES_IMAGE) and its new image. None while no correction waits.
    correction = models.JSONField(
        _("correction awaiting moderation"), null=True, blank=True, editable=False
    )
    # Its thumbnails are made as it comes, so that approving it only moves names.
    correction_image = images.ThumbnailedImageField(
        _("image of the correction"),
        upload_to="activations/",
        blank=True,
        editable=False,
    )
    correction_submitted_at = models.DateTimeField(
        _("correction submitted"), null=True, blank=True, editable=False
    )
    correction_rejection_reason = models.TextField(
        _("reason the last correction was not accepted"),
        blank=True,
        editable=False,
    )
    # The random id that the signed edit link carries: never the e-mail.
    edit_key = models.CharField(
        _("edit key"), max_length=64, unique=True, default=new_key, editable=False
    )
    sequence = models.PositiveIntegerField(
        _("calendar revision"), default=0, editable=False
    )

    objects = ActivationQuerySet.as_manager()

    class Meta(ModeratedEntry.Meta):
        verbose_name = _("activation")
        verbose_name_plural = _("activations")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="activation_last_day_not_before_first",
            ),
            models.CheckConstraint(
                condition=~Q(address="", online_url=""),
                name="activation_has_a_place_or_a_link",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status", "first_day"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activations:detail", kwargs={"slug": self.slug})

    @property
    def has_correction(self) -> bool:
        return self.correction is not None

    def as_corrected(self) -> "Activation":
        """The activation as its submitter last wrote it: the published version
        with the correction awaiting moderation on top; a copy, never saved."""
        draft = copy.copy(self)
        for name, value in (self.correction or {}).items():
            if name != REMOVES_IMAGE:
                setattr(draft, name, from_json(name, value))
        if self.correction_image or (self.correction or {}).get(REMOVES_IMAGE):
            # Past the field's descriptor, which would open the file to measure
            # it: a page showing the draft never fails on the storage.
            draft.__dict__["image"] = self.correction_image.name
            draft.image_width = draft.image_height = None
        return draft

    def corrected_fields(self) -> list[str]:
        """The names of the fields the waiting correction changes, image included."""
        if self.correction is None:
            return []
        names = [name for name in self.correction if name != REMOVES_IMAGE]
        if self.correction_image or self.correction.get(REMOVES_IMAGE):
            names.append("image")
        return names

    def corrected_field_labels(self) -> list[str]:
        """Their names as a person reads them, in the active language."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.corrected_fields()
        ]

    @property
    def format(self) -> str:
        """In person, online or both, as events say it: from address and link."""
        if self.address and self.online_url:
            return Event.Format.HYBRID
        return Event.Format.ONLINE if self.online_url else Event.Format.OFFLINE

    def get_format_display(self) -> str:
        return str(Event.Format(self.format).label)
