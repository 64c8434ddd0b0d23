"""The events of the programme."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from qualityweek import clock
from qualityweek.i18n import Translated

from .editions import Edition
from .people import Organiser, Speaker
from .places import Region, Venue


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def of_edition(self, edition):
        return self.filter(edition=edition)

    def on_day(self, day: datetime.date):
        # __date compares in the current time zone (Moscow), not UTC.
        return self.filter(start__date=day)

    def during_day(self, day: datetime.date):
        """Events taking place at any moment of the (Moscow) day, multi-day ones too."""
        midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        return self.filter(
            start__lt=midnight + datetime.timedelta(days=1), end__gt=midnight
        )

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def in_format(self, format: str):
        return self.filter(format=format)

    def in_region(self, region: Region):
        # The venue's region counts; an event's own region only when it has no venue.
        return self.filter(
            Q(venue__region=region) | Q(venue__isnull=True, region=region)
        )

    def with_place_region(self):
        """Annotates `place_region`, the pk of the region `in_region` counts."""
        return self.annotate(place_region=Coalesce("venue__region", "region"))

    def top_level(self):
        return self.filter(parent__isnull=True)

    def highlights(self):
        """What the home page shows: the week's main events, not every session."""
        return self.filter(kind__in=Event.MAIN_KINDS)

    def for_schedule(self):
        """All that the schedule and the feed render, in a fixed number of queries."""
        return (
            self.select_related("venue__region", "region", "parent")
            .prefetch_related("speakers", "organisers")
            .order_by("start", "end", "title")
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        QUALITY_DAY = "quality_day", _("Quality Day")
        FORUM = "forum", _("Forum")
        SESSION = "session", _("Forum session")
        REGIONAL_DAY = "regional_day", _("Regional day")
        AWARDS = "awards", _("Awards ceremony")
        OTHER = "other", _("Other event")

    # The events the organisers' letters name; the home page shows these.
    MAIN_KINDS = ("quality_day", "forum", "regional_day", "awards")

    class Format(models.TextChoices):
        ONLINE = "online", pgettext_lazy("event format", "Online")
        OFFLINE = "offline", pgettext_lazy("event format", "In person")
        HYBRID = "hybrid", pgettext_lazy("event format", "Hybrid")
        # The letters do not say: the pages promise neither a hall nor a stream.
        TO_BE_ANNOUNCED = "tba", pgettext_lazy("event format", "To be announced")

    edition = models.ForeignKey(
        Edition, models.CASCADE, verbose_name=_("edition"), related_name="events"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    summary_en = models.CharField(_("summary in English"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    is_date_confirmed = models.BooleanField(
        _("date confirmed"),
        default=True,
        help_text=_(
            "Off: the day itself is not certain yet; every page, letter and "
            "calendar says “date and time to be confirmed”."
        ),
    )
    is_time_confirmed = models.BooleanField(
        _("time confirmed"),
        default=True,
        help_text=_("Off shows “time to be confirmed” beside the time."),
    )
    venue = models.ForeignKey(
        Venue,
        models.PROTECT,
        verbose_name=_("venue"),
        related_name="events",
        null=True,
        blank=True,
    )
    place_to_be_announced = models.BooleanField(
        _("place to be announced"),
        default=False,
        help_text=_(
            "For an in-person or hybrid event whose venue is not known yet: the "
            "pages say that the place will be announced."
        ),
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        verbose_name=_("region"),
        related_name="events",
        null=True,
        blank=True,
        help_text=_("For events without a venue; otherwise the venue's region counts."),
    )
    organisers = models.ManyToManyField(
        Organiser, verbose_name=_("organisers"), related_name="events", blank=True
    )
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("speakers"), related_name="events", blank=True
    )
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        verbose_name=_("part of"),
        related_name="sessions",
        null=True,
        blank=True,
    )
    stream_url = models.URLField(_("stream or broadcast link"), blank=True)
    online_instructions = models.TextField(_("how to join online"), blank=True)
    online_instructions_en = models.TextField(
        _("how to join online in English"), blank=True
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("A cancelled event stays visible, marked as cancelled."),
    )
    needs_review = models.BooleanField(
        _("to review"),
        default=False,
        help_text=_(
            "Copied from the previous edition: check the time, the people and the "
            "texts, then clear this."
        ),
    )
    is_demo = models.BooleanField(
        _("demo content"),
        default=False,
        help_text=_("Not from the organisers' information; shown with a demo mark."),
    )
    takes_registrations = models.BooleanField(
        _("takes registrations"),
        default=False,
        help_text=_("People can register on the site to attend in person."),
    )
    registration_opens = models.DateTimeField(
        _("registration opens"), null=True, blank=True
    )
    registration_closes = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event starts. Never later than the start."),
    )
    seats = models.PositiveIntegerField(_("seats"), default=0)
    seats_taken = models.PositiveIntegerField(
        _("seats taken"),
        default=0,
        editable=False,
        help_text=_("Kept by the registration services; the database checks it."),
    )
    keeps_waiting_list = models.BooleanField(_("keeps a waiting list"), default=True)
    consent_text = models.ForeignKey(
        "qualityweek.ConsentText",
        models.PROTECT,
        verbose_name=_("consent text in force"),
        related_name="events",
        limit_choices_to={"purpose": "registration"},
        null=True,
        blank=True,
    )
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Rises when the time, place or status changes, for calendar apps."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="event_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="event_not_its_own_parent"
            ),
            # Seats are never overbooked, whatever the code does: the database says no.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seats")),
                name="event_seats_taken_within_seats",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True)
                | Q(registration_closes__lte=F("start")),
                name="event_registration_closes_by_start",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_opens__lt=F("registration_closes")),
                name="event_registration_opens_before_it_closes",
            ),
        ]
        indexes = [models.Index(fields=["edition", "is_published", "start"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if self.edition_id and self.start and self.end and not errors:
            edition = self.edition
            if self.start < edition.starts_at() or self.end > edition.ends_at():
                errors["start"] = _(
                    "The event must take place within the week, %(first)s – %(last)s."
                ) % {
                    "first": edition.first_day.isoformat(),
                    "last": edition.last_day.isoformat(),
                }
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors["parent"] = _("An event cannot be part of itself.")
            elif self.parent.parent_id:
                errors["parent"] = _("Sessions cannot have sessions of their own.")
            elif self.edition_id and self.parent.edition_id != self.edition_id:
                errors["parent"] = _(
                    "The event it is part of must be in the same edition."
                )
        if self.needs_venue and not self.venue_id and not self.place_to_be_announced:
            errors["venue"] = _(
                "An in-person or hybrid event needs its venue. If it is not known "
                "yet, tick “place to be announced”."
            )
        errors.update(self.registration_errors())
        if errors:
            raise ValidationError(errors)

    @property
    def needs_venue(self) -> bool:
        """People come to it, so the pages must say where: every in-person or
        hybrid event but Quality Day, which the whole country holds."""
        return self.is_in_person and self.kind != self.Kind.QUALITY_DAY

    def registration_errors(self) -> dict:
        """The registration settings' rules, which the database also holds."""
        errors = {}
        closes, opens = self.registration_closes, self.registration_opens
        if closes and self.start and closes > self.start:
            errors["registration_closes"] = _(
                "Registration must close by the time the event starts."
            )
        if opens and closes and opens >= closes:
            errors["registration_opens"] = _("Registration must open before it closes.")
        if self.pk and self.seats is not None:
            # Read now, not when the form was opened: people keep confirming.
            # Inside a transaction (the admin's form and its save are one) the
            # row stays locked from this check to the save, so no seat is taken
            # in between and the save cannot break the seats constraint.
            rows = Event.objects.filter(pk=self.pk)
            if transaction.get_connection().in_atomic_block:
                rows = rows.select_for_update()
            taken = rows.values_list("seats_taken", flat=True).first() or 0
            if self.seats < taken:
                errors["seats"] = ngettext(
                    "%(taken)d seat is already taken: there cannot be fewer seats.",
                    "%(taken)d seats are already taken: there cannot be fewer seats.",
                    taken,
                ) % {"taken": taken}
        return errors

    title_i18n = Translated("title")
    summary_i18n = Translated("summary")
    description_i18n = Translated("description")
    online_instructions_i18n = Translated("online_instructions")

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end)

    @property
    def day(self) -> datetime.date:
        return self.local_start.date()

    @property
    def spans_whole_days(self) -> bool:
        """Starts and ends at midnight Moscow time: shown as dates, not times."""
        return self.local_start.time() == datetime.time() == self.local_end.time()

    @property
    def is_multi_day(self) -> bool:
        last_moment = self.local_end - datetime.timedelta(microseconds=1)
        return last_moment.date() != self.local_start.date()

    @property
    def last_day(self) -> datetime.date:
        return (self.local_end - datetime.timedelta(microseconds=1)).date()

    @property
    def place_region(self) -> Region | None:
        return self.venue.region if self.venue_id else self.region

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.OFFLINE, self.Format.HYBRID)

    def has_ended(self) -> bool:
        return self.end <= clock.now()

    def is_on_at(self, moment) -> bool:
        """Whether the event is happening at `moment` (not if cancelled)."""
        return not self.is_cancelled and self.start <= moment < self.end
