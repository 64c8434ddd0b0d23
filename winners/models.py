"""The winners of the all-Russian contest «Лидер качества», as organisers enter them.

A winner is published only with a separate consent to publish (152-FZ art. 10.1:
consent to the dissemination of personal data made public), given and not
withdrawn, and not erased. The same rule holds for a company: its entry may name
a representative or show a photo of people.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Edition, Event, Region
from qualityweek.i18n import Translated


class WinnerQuerySet(models.QuerySet):
    def published(self):
        """The winners whose consent to publish is in force: the only ones any
        public page, the sitemap or a photo's address shows."""
        return self.filter(
            publication_consent_given_at__isnull=False,
            publication_consent_withdrawn_at__isnull=True,
            erased_at__isnull=True,
        )

    def of_edition(self, edition):
        return self.filter(edition=edition)

    def in_region(self, region):
        return self.filter(region=region)

    def for_listing(self):
        return self.select_related("region", "award_event")

    def edition_years(self) -> list[int]:
        """The years of the editions these winners belong to, latest first."""
        return list(
            self.order_by("-edition__year")
            .values_list("edition__year", flat=True)
            .distinct()
        )


class Winner(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        PERSON = "person", pgettext_lazy("winner kind", "person")

    edition = models.ForeignKey(
        Edition,
        on_delete=models.PROTECT,
        related_name="winners",
        verbose_name=_("edition"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        pgettext_lazy("winner", "name"),
        max_length=300,
        help_text=_("A company's name, or a person's full name."),
    )
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    nomination = models.CharField(_("nomination"), max_length=300)
    nomination_en = models.CharField(
        _("nomination in English"), max_length=300, blank=True
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="winners",
        verbose_name=_("region"),
    )
    photo = models.ImageField(_("photo"), upload_to="winners/photos/", blank=True)
    # The square the pages show, served only while the consent is in force
    # (winners:photo); /media/ serves nothing under winners/.
    photo_thumbnail = models.ImageField(
        _("photo thumbnail"),
        upload_to="winners/photos/",
        blank=True,
        editable=False,
    )
    text = models.TextField(_("short text"), max_length=1000, blank=True)
    text_en = models.TextField(_("short text in English"), max_length=1000, blank=True)
    award_event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="winners",
        limit_choices_to={"kind": Event.Kind.AWARDS},
        verbose_name=_("awards ceremony"),
        help_text=_("The event at which the award is presented; its page lists it."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers are listed first.")
    )
    # Never published: how an access or erasure request finds the person.
    email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_(
            "Not published. How a request of the person about their data finds "
            "this entry."
        ),
    )
    publication_consent_given_at = models.DateTimeField(
        _("consent to publish given"),
        null=True,
        blank=True,
        help_text=_(
            "When the winner (for a company, the person it names or shows) signed "
            "the separate consent to publish. Without it the winner is shown "
            "nowhere."
        ),
    )
    publication_consent_document = models.FileField(
        _("signed consent to publish"),
        upload_to="winners/consents/",
        blank=True,
        help_text=_("A scan of the signed consent. Never published."),
    )
    publication_consent_withdrawn_at = models.DateTimeField(
        _("consent to publish withdrawn"), null=True, blank=True, editable=False
    )
    erased_at = models.DateTimeField(
        pgettext_lazy("winner", "data erased"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WinnerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("contest winner")
        verbose_name_plural = _("contest winners")
        constraints = [
            models.CheckConstraint(
                condition=Q(publication_consent_withdrawn_at__isnull=True)
                | Q(publication_consent_given_at__isnull=False),
                name="winner_withdrawn_consent_was_given",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("winners:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if (
            self.award_event_id
            and self.edition_id
            and self.award_event.edition_id != self.edition_id
        ):
            errors["award_event"] = _("Choose the awards ceremony of this edition.")
        # The consent is the winner's written one: the scan is the proof of it.
        if self.publication_consent_given_at and not self.publication_consent_document:
            errors["publication_consent_document"] = _(
                "Attach the scan of the signed consent to publish."
            )
        if errors:
            raise ValidationError(errors)

    name_i18n = Translated("name")
    nomination_i18n = Translated("nomination")
    text_i18n = Translated("text")

    @property
    def is_published(self) -> bool:
        return bool(
            self.publication_consent_given_at
            and not self.publication_consent_withdrawn_at
            and not self.erased_at
        )

    def photo_url(self) -> str:
        """The address of the photo pages show, served while the consent is in force."""
        if not self.photo_thumbnail:
            return ""
        return reverse("winners:photo", kwargs={"pk": self.pk})
