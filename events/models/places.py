"""Where events happen: the regions of Russia and venues."""

import functools
import operator

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qualityweek.i18n import Translated

from .. import participation
from ..regions_data import MOSCOW_TIME_ZONE, TIME_ZONES

# The zones of Russia's subjects, Moscow's first: what organisers choose from.
TIME_ZONE_CHOICES = [(zone, zone) for zone in [MOSCOW_TIME_ZONE, *TIME_ZONES]]


def _count_in_region(rows, region_field: str):
    """How many of these rows belong to the outer query's region: a subquery, so
    that counts of several kinds do not multiply each other."""
    rows = rows.filter(**{region_field: OuterRef("pk")}).order_by().values(region_field)
    return Coalesce(Subquery(rows.annotate(count=Count("pk")).values("count")), 0)


def participation_counts(edition) -> dict:
    """What makes a region take part in an edition, one count per kind: the
    programme's own, then each feature's registered counter."""
    from .event import Event

    counts = {
        # Events the region holds itself: the national programme (Quality Day,
        # the forum, its sessions and regional day, the awards) happens in one
        # place for the whole country and makes no region "take part", nor does
        # demo content.
        "events_count": _count_in_region(
            Event.objects.published()
            .of_edition(edition)
            .filter(kind=Event.Kind.OTHER, is_demo=False)
            .with_place_region(),
            "place_region",
        ),
        "joined_count": _count_in_region(
            RegionalParticipation.objects.filter(edition=edition), "region"
        ),
    }
    for counter in participation.counters():
        counts[f"{counter.name}_count"] = _count_in_region(
            counter.rows(edition), counter.region_field
        )
    return counts


def collation_key(text: str) -> str:
    # Unicode puts Cyrillic а–я in alphabetical order, all but ё: it goes with е,
    # as dictionaries sort it. Latin needs nothing but the case folded.
    return text.casefold().replace("ё", "е")


class RegionQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def taking_part(self, edition):
        """The regions taking part in the edition: those with anything of it (see
        `participation_counts`), each annotated with its count per kind."""
        counts = participation_counts(edition)
        any_count = functools.reduce(
            operator.or_, (Q(**{f"{name}__gt": 0}) for name in counts)
        )
        return self.annotate(**counts).filter(any_count)

    def alphabetical(self) -> list["Region"]:
        """The regions as the visitor reads them: in the language's alphabet."""
        return sorted(self, key=Region.sort_key)


class Region(models.Model):
    """A subject of the Russian Federation."""

    class FederalDistrict(models.TextChoices):
        # In the official order, west to east, as the districts are listed.
        CENTRAL = "central", _("Central Federal District")
        NORTHWESTERN = "northwestern", _("Northwestern Federal District")
        SOUTHERN = "southern", _("Southern Federal District")
        NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian Federal District")
        VOLGA = "volga", _("Volga Federal District")
        URAL = "ural", _("Ural Federal District")
        SIBERIAN = "siberian", _("Siberian Federal District")
        FAR_EASTERN = "far_eastern", _("Far Eastern Federal District")

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    federal_district = models.CharField(
        _("federal district"),
        max_length=20,
        choices=FederalDistrict.choices,
        blank=True,
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TIME_ZONE_CHOICES,
        default=MOSCOW_TIME_ZONE,
        help_text=_(
            "The region's own time: its pages and the letters to its venues show "
            "it beside Moscow time."
        ),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_zone__in=[zone for zone, _label in TIME_ZONE_CHOICES]),
                name="region_time_zone_known",
            ),
        ]

    def __str__(self):
        # Every list of regions (forms, admin) reads in the visitor's language.
        return self.name_i18n

    def get_absolute_url(self):
        return reverse("events:region", kwargs={"code": self.code})

    def natural_key(self):
        return (self.code,)

    name_i18n = Translated("name")

    def sort_key(self) -> str:
        return collation_key(self.name_i18n)

    def participation_lines(self) -> list[str]:
        """What the features count of the region (`taking_part` annotates), in words."""
        return participation.lines(self)


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300)
    address_en = models.CharField(_("address in English"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, models.PROTECT, verbose_name=_("region"), related_name="venues"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    directions = models.TextField(_("how to get there"), blank=True)
    directions_en = models.TextField(_("how to get there in English"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="venue_coordinates_both_or_none_and_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    name_i18n = Translated("name")
    address_i18n = Translated("address")
    directions_i18n = Translated("directions")

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def map_links(self) -> list[tuple[str, str]]:
        """The place in the maps people in Russia use, as (name, address) pairs.

        Links only: no page loads a map from another host. Each service marks the
        point itself; the visitor's own app opens them on a phone.
        """
        if not self.has_coordinates:
            return []
        lat, lon = self.latitude, self.longitude
        return [
            (gettext("Yandex Maps"), f"https://yandex.ru/maps/?pt={lon},{lat}&z=17"),
            (gettext("2GIS"), f"https://2gis.ru/geo/{lon},{lat}"),
            (
                gettext("OpenStreetMap"),
                f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}",
            ),
        ]


class RegionalParticipation(models.Model):
    """A region known to have joined Quality Day, as the letters say regions do
    every year, and how it is known: the site states nothing it cannot source."""

    edition = models.ForeignKey(
        "events.Edition",
        models.CASCADE,
        verbose_name=_("edition"),
        related_name="regional_participations",
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        verbose_name=_("region"),
        related_name="participations",
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_(
            "How it is known, as the region page shows it: e.g. the regional "
            "ministry's letter to businesses."
        ),
    )
    source_en = models.CharField(_("source in English"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["region__code"]
        verbose_name = _("region that joined Quality Day")
        verbose_name_plural = _("regions that joined Quality Day")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "region"], name="regional_participation_once"
            )
        ]

    def __str__(self):
        return str(self.region)

    source_i18n = Translated("source")
