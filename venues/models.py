"""Regional venues that connect online to the regional day, and the call for them."""

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.models import Edition, Region
from qualityweek.i18n import Translated
from qualityweek.public_entries import ModeratedEntry


def new_key() -> str:
    return secrets.token_urlsafe(32)


class VenueCallQuerySet(models.QuerySet):
    def of_edition(self, edition):
        return self.filter(edition=edition)


class VenueCall(models.Model):
    """When an edition takes venue applications, and what approved venues read.

    Its own window, not the in-person registration's: venues prepare a hall, a
    screen and an audience weeks ahead.
    """

    edition = models.OneToOneField(
        Edition, models.CASCADE, verbose_name=_("edition"), related_name="venue_call"
    )
    opens_at = models.DateTimeField(_("applications open"), help_text=_("Moscow time."))
    closes_at = models.DateTimeField(
        _("applications close"), help_text=_("Moscow time.")
    )
    instructions = models.TextField(
        _("connection instructions"),
        blank=True,
        help_text=_(
            "What an approved venue reads in its e-mail and on its own page: how "
            "and when to connect, the platform's link, a rehearsal. Plain text; "
            "links are clickable."
        ),
    )
    instructions_en = models.TextField(
        _("connection instructions in English"), blank=True
    )
    # When approved venues last had something new to read: the instructions in
    # either language or the regional day's stream link. Each version's letters
    # carry it, so that only the latest version is sent.
    instructions_changed_at = models.DateTimeField(
        _("instructions last changed"), null=True, blank=True, editable=False
    )

    objects = VenueCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for regional venues")
        verbose_name_plural = _("calls for regional venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="venue_call_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return str(self.edition)

    instructions_i18n = Translated("instructions")


class VenueApplicationQuerySet(models.QuerySet):
    def of_edition(self, edition):
        return self.filter(edition=edition)

    def approved(self):
        return self.filter(
            status=VenueApplication.Status.APPROVED, erased_at__isnull=True
        )

    def pending(self):
        return self.filter(status=VenueApplication.Status.PENDING)

    def in_region(self, region):
        return self.filter(region=region)

    def for_listing(self):
        """What the public lists render: one query, in a stable order."""
        return self.select_related("region").order_by("city", "venue_name", "pk")

    def by_district(self) -> list[tuple[str, list[tuple[Region, list]]]]:
        """The venues by federal district (in the official order) and region (in
        the visitor's alphabet): [(district label, [(region, [venues])])]."""
        regions: dict[int, tuple[Region, list]] = {}
        for venue in self.for_listing():
            regions.setdefault(venue.region_id, (venue.region, []))[1].append(venue)
        districts: dict[str, list] = {key: [] for key in Region.FederalDistrict}
        for region, venues in sorted(regions.values(), key=lambda r: r[0].sort_key()):
            districts.setdefault(region.federal_district, []).append((region, venues))
        return [
            (Region.FederalDistrict(key).label if key else "", members)
            for key, members in districts.items()
            if members
        ]


class VenueApplication(ModeratedEntry):
    """A regional venue's application to connect online to the regional day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn by the venue")

    edition = models.ForeignKey(
        Edition,
        models.PROTECT,
        verbose_name=_("edition"),
        related_name="venue_applications",
    )
    # Its own choices: a venue may also withdraw.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    # The venue: public once approved.
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        verbose_name=_("region"),
        related_name="venue_applications",
    )
    city = models.CharField(_("city or town"), max_length=100)
    venue_name = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    organising_body = models.CharField(_("organising body"), max_length=300)
    audience = models.PositiveIntegerField(_("expected audience"))
    note = models.TextField(_("note"), max_length=2000, blank=True)

    # The people: for organisers only, never on a public page.
    contact_name = models.CharField(_("contact person"), max_length=200)
    tech_name = models.CharField(_("technical contact"), max_length=200)
    tech_email = models.EmailField(_("technical contact's e-mail"), blank=True)
    tech_phone = models.CharField(_("technical contact's phone"), max_length=20)

    # The random id that the signed link of the venue's page carries.
    access_key = models.CharField(
        _("access key"), max_length=64, unique=True, default=new_key, editable=False
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"), null=True, blank=True, editable=False
    )

    objects = VenueApplicationQuerySet.as_manager()

    class Meta(ModeratedEntry.Meta):
        verbose_name = _("venue application")
        verbose_name_plural = _("venue applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__gt=0), name="venue_application_has_an_audience"
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return f"{self.venue_name}, {self.city}"

    @property
    def is_open_to_withdraw(self) -> bool:
        return self.erased_at is None and self.status in (
            self.Status.PENDING,
            self.Status.APPROVED,
        )
