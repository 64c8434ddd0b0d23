"""Where events happen: the regions of Russia and venues."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityweek.i18n import Translated


class RegionQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def with_events_in(self, edition):
        """Regions where published events or approved activations of the edition
        take place."""
        published = Q(events__edition=edition, events__is_published=True)
        at_venue = Q(venues__events__edition=edition, venues__events__is_published=True)
        activation = Q(
            activations__edition=edition,
            activations__status="approved",
            activations__erased_at__isnull=True,
        )
        return self.filter(published | at_venue | activation).distinct()


class Region(models.Model):
    """A subject of the Russian Federation."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        # Every list of regions (forms, admin) reads in the visitor's language.
        return self.name_i18n

    def natural_key(self):
        return (self.code,)

    name_i18n = Translated("name")


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
