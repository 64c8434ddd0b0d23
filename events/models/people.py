"""Who organises and who speaks."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualityweek.i18n import Translated

# A page's address: Latin letters, digits and hyphens, and never digits alone
# (`/speakers/<pk>/` serves a row that has no address yet).
SLUG_VALIDATORS = [
    RegexValidator(
        r"[a-z]",
        message=_("The address needs at least one Latin letter."),
    )
]
SLUG_HELP = _(
    "The end of the page's address, in Latin letters, e.g. “ivan-petrov”. "
    "Left empty, the page is found by its number."
)


def _unique_slug(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["slug"], condition=~models.Q(slug=""), name=name
    )


class Organiser(models.Model):
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=100)
    short_name_en = models.CharField(
        _("short name in English"), max_length=100, blank=True
    )
    slug = models.SlugField(
        _("address"),
        max_length=100,
        blank=True,
        validators=SLUG_VALIDATORS,
        help_text=SLUG_HELP,
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
        constraints = [_unique_slug("events_organiser_slug_unique")]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        if self.slug:
            return reverse("events:organiser", kwargs={"slug": self.slug})
        return reverse("events:organiser_by_pk", kwargs={"pk": self.pk})

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
    slug = models.SlugField(
        _("address"),
        max_length=100,
        blank=True,
        validators=SLUG_VALIDATORS,
        help_text=SLUG_HELP,
    )
    bio = models.TextField(_("biography"), blank=True)
    bio_en = models.TextField(_("biography in English"), blank=True)
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
        constraints = [_unique_slug("events_speaker_slug_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        if self.slug:
            return reverse("events:speaker", kwargs={"slug": self.slug})
        return reverse("events:speaker_by_pk", kwargs={"pk": self.pk})

    name_i18n = Translated("name")
    position_i18n = Translated("position")
    organisation_i18n = Translated("organisation")
    bio_i18n = Translated("bio")
