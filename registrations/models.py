import secrets

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncHour, TruncMinute
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from events.models import Event, Region
from qualityweek import clock
from qualityweek.public_entries import PersonalDataEntry

# Short ticket codes are read aloud and typed at the door: no 0/O, 1/I/L.
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TICKET_CODE_LENGTH = 8


def new_token() -> str:
    """The long, unguessable key of a participant's own page."""
    return secrets.token_urlsafe(32)


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_CODE_LENGTH))


# A phone with a Russian keyboard types А, В, С… that look like the Latin letters.
_CYRILLIC_LOOKALIKES = str.maketrans("АВСЕНКМОРТХУ", "ABCEHKMOPTXY")


def normalise_ticket_code(text: str) -> str:
    """A ticket code as typed at the door, in any case, with spaces or dashes."""
    code = text.upper().translate(_CYRILLIC_LOOKALIKES)
    return "".join(
        character for character in code if character.isascii() and character.isalnum()
    )


class RegistrationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Registration.Status.PENDING)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def online(self):
        """Those taking part online: no seat, the stream link."""
        return self.filter(status=Registration.Status.ONLINE)

    def waiting(self):
        """The waiting list, first come first served."""
        return self.filter(status=Registration.Status.WAITING).order_by(
            "waiting_position"
        )

    def ahead_of(self, registration):
        """Who is before this person on the event's waiting list."""
        return self.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITING,
            waiting_position__lt=registration.waiting_position,
        )

    def checked_in(self):
        return self.filter(checked_in_at__isnull=False)

    def confirmations_by_hour(self, since, until):
        """How many confirmed their e-mail address in each Moscow hour, per event:
        rows of `event`, `hour` and `count`."""
        return (
            self.filter(confirmed_at__gte=since, confirmed_at__lt=until)
            .annotate(
                hour=TruncHour("confirmed_at", tzinfo=timezone.get_default_timezone())
            )
            .values("event", "hour")
            .annotate(count=Count("pk"))
            .order_by()
        )

    def check_ins_by_minute(self, since, until):
        """How many were let in during each Moscow minute, per event: rows of
        `event`, `minute` and `count`, a few per minute of the day at most."""
        return (
            self.filter(checked_in_at__gte=since, checked_in_at__lt=until)
            .annotate(
                minute=TruncMinute(
                    "checked_in_at", tzinfo=timezone.get_default_timezone()
                )
            )
            .values("event", "minute")
            .annotate(count=Count("pk"))
            .order_by()
        )

    def counts_by_region(self):
        """Seats confirmed and people checked in per event and participant's region
        (none: from abroad), leaving out regions with neither."""
        return (
            self.values("event", "region__code", "region__name", "region__name_en")
            .annotate(
                confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
                checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
            )
            .filter(Q(confirmed__gt=0) | Q(checked_in__gt=0))
            .order_by()
        )

    def with_ticket_code(self, text: str):
        """The registration a typed or scanned ticket code names, if any: one
        erased as it was cancelled too, so that the door says "cancelled", not
        "unknown ticket" (its row keeps no name to show)."""
        return self.filter(ticket_code=normalise_ticket_code(text)).filter(
            Q(erased_at__isnull=True) | Q(status=Registration.Status.CANCELLED)
        )


class Registration(PersonalDataEntry):
    """A person's sign-up to attend an event in person, or to take part online.

    One registration per person and event: the mode asked for (`mode`) may
    change while the sign-up awaits confirmation; confirming gives an in-person
    one a seat or a place in line, an online one the status ONLINE and no seat.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting e-mail confirmation")
        CONFIRMED = "confirmed", _("seat confirmed")
        WAITING = "waiting", _("on the waiting list")
        # A registration (feminine in Russian), not an event: «отменена».
        CANCELLED = "cancelled", pgettext_lazy("registration", "cancelled")
        # Confirmed to take part online: holds no seat, so nothing that counts
        # seats (confirmed(), the pass office, the door) ever sees it.
        ONLINE = "online", _("taking part online")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", pgettext_lazy("registration mode", "online")

    class Mail(models.TextChoices):
        """The e-mails a registration gets; a failed one is kept here to retry."""

        CONFIRM_ADDRESS = "confirm_address", _("confirm the e-mail address")
        SEAT = "seat", _("seat confirmed")
        WAITING = "waiting", _("on the waiting list")
        PROMOTED = "promoted", _("seat from the waiting list")
        CANCELLED = "cancelled", _("registration cancelled")
        REMINDER = "reminder", _("reminder")
        ALREADY_REGISTERED = "already_registered", _("already registered")
        CHANGED = "changed", _("the event changed")
        ONLINE = "online", _("taking part online")
        ONLINE_REMINDER = "online_reminder", _("the stream starts in an hour")

    event = models.ForeignKey(
        Event, models.PROTECT, verbose_name=_("event"), related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    mode = models.CharField(
        _("how they take part"),
        max_length=10,
        choices=Mode.choices,
        default=Mode.IN_PERSON,
    )
    token = models.CharField(
        _("access token"), max_length=64, unique=True, default=new_token, editable=False
    )
    ticket_code = models.CharField(
        _("ticket code"),
        max_length=TICKET_CODE_LENGTH,
        unique=True,
        default=new_ticket_code,
        editable=False,
    )

    surname = models.CharField(_("surname"), max_length=100)
    name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300)
    position = models.CharField(_("position"), max_length=200)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        verbose_name=_("region"),
        related_name="registrations",
        null=True,
    )

    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # The place in line, numbered under the event's lock (services.seats): the
    # order the database gave, never a host's clock, which may lag another's.
    waiting_position = models.PositiveIntegerField(
        _("place in line"), null=True, blank=True, editable=False
    )
    cancelled_at = models.DateTimeField(
        pgettext_lazy("registration", "cancelled"), null=True, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # The random id that the signed confirmation link carries: never the e-mail.
    confirmation_key = models.CharField(
        _("confirmation key"),
        max_length=64,
        unique=True,
        default=new_token,
        editable=False,
    )
    # Which of its letters was refused (PersonalDataEntry.email_failed_at).
    email_failed_letter = models.CharField(
        _("refused letter"),
        max_length=30,
        choices=Mail.choices,
        blank=True,
        editable=False,
    )

    # The site clock, so that rehearsals read in order: registered, then confirmed.
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One registration per person and event; erased rows keep no e-mail.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(erased_at__isnull=True),
                name="registration_one_per_event_and_email",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="registration_waiting_has_a_place_in_line",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_position__isnull=False),
                name="registration_waiting_has_a_number",
            ),
            # A seat or a place in line is in person; taking part online is online.
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "waiting"]) | Q(mode="in_person"),
                name="registration_seat_is_in_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="online") | Q(mode="online"),
                name="registration_online_is_online",
            ),
            models.UniqueConstraint(
                fields=["event", "waiting_position"],
                name="registration_one_place_per_number",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            # The day's dashboard counts by the hour and the quarter-hour.
            models.Index(fields=["event", "confirmed_at"]),
            models.Index(fields=["event", "checked_in_at"]),
        ]

    def __str__(self):
        # Text forms reach admin logs and messages: the pk only, never a name.
        return _("Registration #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("registrations:detail", kwargs={"token": self.token})

    @property
    def full_name(self) -> str:
        """The name in the order of the active language: «Иванова Мария Петровна»
        in Russian (surname first, as documents and lists have it), "Maria
        Petrovna Ivanova" in English, where the surname comes last."""
        if (get_language() or "ru").startswith("ru"):
            parts = (self.surname, self.name, self.patronymic)
        else:
            parts = (self.name, self.patronymic, self.surname)
        return " ".join(part for part in parts if part)
