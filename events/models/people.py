"""Who organises and who speaks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityweek.i18n import Translated


class Organiser(models.Model):
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=100)
    short_name_en = models.CharField(
        _("short name in English"), max_length=100, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisers/", blank=True)
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers are listed first.")
    )

    class Meta:
        ordering = ["position", "short_name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self):
        return self.short_name

    name_i18n = Translated("name")
    short_name_i18n = Translated("short_name")


class Speaker(models.Model):
    name = models.CharField(_("full name"), max_length=200)
    name_en = models.CharField(_("full name in English"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    position_en = models.CharField(_("position in English"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_en = models.CharField(
        _("organisation in English"), max_length=200, blank=True
    )
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)
    photo_thumbnail = models.ImageField(
        _("photo thumbnail"),
        upload_to="speakers/thumbnails/",
        blank=True,
        editable=False,
    )
    is_demo = models.BooleanField(
        _("demo content"),
        default=False,
        help_text=_("Invented for demonstrations; shown with a demo mark."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name

    name_i18n = Translated("name")
    position_i18n = Translated("position")
    organisation_i18n = Translated("organisation")
