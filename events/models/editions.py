"""One year's Quality Week."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityweek import clock, imprint
from qualityweek.i18n import Translated

from ..dates import quality_week


def validate_site_lines(value: str) -> None:
    """Each non-empty line is a web address."""
    check = URLValidator(schemes=["https", "http"])
    for number, line in enumerate(value.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            check(line.strip())
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s is not a web address: %(value)s"),
                params={"line": number, "value": line.strip()},
                code="invalid",
            ) from None


class EditionQuerySet(models.QuerySet):
    def current(self):
        """The edition running now, else the next one, else the latest.

        One query: a site holds one edition a year, so all of them are few.
        """
        today = clock.today()
        editions = list(self.order_by("first_day"))
        for edition in editions:
            if today <= edition.last_day:
                return edition  # running now, or the next one to come
        return editions[-1] if editions else None

    def current_pk(self):
        """The current edition's pk (the rule of `current`) as an expression, for
        a query that needs it without reading the edition first."""
        upcoming = self.filter(last_day__gte=clock.today()).order_by("first_day")
        latest = self.order_by("-first_day")
        return Coalesce(
            Subquery(upcoming.values("pk")[:1]), Subquery(latest.values("pk")[:1])
        )


class Edition(models.Model):
    """One year's Quality Week."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    motto_en = models.CharField(_("motto in English"), max_length=200, blank=True)
    lead = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "The home page's lines under the motto: what the week is, in the "
            "organisers' own words. Left empty, the home page shows none."
        ),
    )
    lead_en = models.TextField(_("introduction in English"), blank=True)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    quality_day = models.DateField(_("Quality Day"))
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_(
            "Where businesses ask for information materials, design layouts and "
            "consultations; letters give it as the address to answer to. Left "
            "empty, the site says it will be announced."
        ),
    )
    official_sites = models.TextField(
        _("official sites"),
        blank=True,
        validators=[validate_site_lines],
        help_text=_(
            "The organisers' sites that letters and the footer of every page "
            "point to, one address per line, e.g. https://rskrf.ru. Left empty, "
            "none is shown."
        ),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gt=F("first_day")),
                name="edition_last_day_after_first_day",
            ),
            models.CheckConstraint(
                condition=Q(quality_day__gte=F("first_day"))
                & Q(quality_day__lte=F("last_day")),
                name="edition_quality_day_inside_week",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.year is None:
            return
        week = quality_week(self.year)
        errors = {}
        if self.quality_day and self.quality_day != week.quality_day:
            errors["quality_day"] = _(
                "Quality Day is the second Thursday of November: %(date)s."
            ) % {"date": week.quality_day.isoformat()}
        if self.first_day and self.first_day != week.first_day:
            errors["first_day"] = _(
                "The week starts on the Monday before Quality Day: %(date)s."
            ) % {"date": week.first_day.isoformat()}
        if self.last_day and self.last_day != week.last_day:
            errors["last_day"] = _(
                "The week ends on the Sunday after Quality Day: %(date)s."
            ) % {"date": week.last_day.isoformat()}
        if errors:
            raise ValidationError(errors)

    title_i18n = Translated("title")
    motto_i18n = Translated("motto")
    lead_i18n = Translated("lead")

    def official_site_urls(self) -> list[str]:
        return [
            line.strip() for line in self.official_sites.splitlines() if line.strip()
        ]

    def imprint(self) -> imprint.EditionImprint:
        """What the site's footer and letters say of this edition."""
        return imprint.EditionImprint(
            contact_email=self.contact_email,
            official_sites=tuple(
                imprint.OfficialSite(url) for url in self.official_site_urls()
            ),
        )

    def has_published_materials(self) -> bool:
        """Whether the materials page has files to offer: the home page links it."""
        return self.materials.published().exists()

    def days(self) -> list[datetime.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + datetime.timedelta(days=n) for n in range(count)]

    def starts_at(self) -> datetime.datetime:
        """Midnight Moscow time of the first day."""
        return timezone.make_aware(
            datetime.datetime.combine(self.first_day, datetime.time())
        )

    def ends_at(self) -> datetime.datetime:
        """Midnight Moscow time after the last day."""
        next_day = self.last_day + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))


class Idea(models.Model):
    """One of the things companies are invited to do during the week, in the
    words of the edition's letters: the home page shows them as examples."""

    class Icon(models.TextChoices):
        OPEN_DOOR = "door-open", _("an open door")
        GIFT = "gift", _("a gift")
        TROPHY = "trophy", _("a trophy")
        PALETTE = "palette", _("a palette")

    edition = models.ForeignKey(
        Edition, models.CASCADE, verbose_name=_("edition"), related_name="ideas"
    )
    icon = models.CharField(_("icon"), max_length=20, choices=Icon.choices)
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title in English"), max_length=120, blank=True)
    text = models.CharField(_("text"), max_length=300)
    text_en = models.CharField(_("text in English"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers are shown first.")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("idea for companies")
        verbose_name_plural = _("ideas for companies")

    def __str__(self):
        return self.title

    title_i18n = Translated("title")
    text_i18n = Translated("text")
