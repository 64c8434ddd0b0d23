"""What the whole site keeps: the consent texts people agree to (152-FZ), the
operator, the shipped values still to be replaced, and the machinery's rows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .i18n import Translated


class ConsentTextQuerySet(models.QuerySet):
    def for_purpose(self, purpose: str):
        return self.filter(purpose=purpose)

    def in_force(self, purpose: str):
        """The newest version of the purpose's consent, or None."""
        return self.for_purpose(purpose).order_by("-created_at", "-pk").first()


class ConsentText(models.Model):
    """A version of the consent to personal data processing for one purpose.

    Under 152-FZ consent is given for a purpose: each form asks for its own, and
    what a person stores keeps the version they agreed to. A version people agreed
    to is never edited; organisers add a new one instead.
    """

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("registration to attend in person")
        ACTIVATION = "activation", _("a company's activation")
        VENUE_APPLICATION = "venue_application", _("a regional venue's application")
        WINNER_PUBLICATION = "winner_publication", _("publication of a contest winner")

    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.REGISTRATION,
    )
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(
        _("text"), help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    text_en = models.TextField(_("text in English"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        # The table the registrations app created: the model moved, the data stayed.
        db_table = "registrations_consenttext"
        ordering = ["-created_at"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        # What only personal data officers may do with people's data, site-wide
        # (qualityweek.permissions): it sits with the consent people gave.
        permissions = [
            ("export_personal_data", _("Can export people's personal data")),
            ("erase_personal_data", _("Can erase people's personal data")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"],
                name="consent_text_one_version_per_purpose",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.version}"

    text_i18n = Translated("text")

    def is_in_use(self) -> bool:
        """Whether anyone has agreed to this version: then it is evidence."""
        from . import personal_data

        return any(
            holder.model.objects.filter(**{holder.consent_field: self}).exists()
            for holder in personal_data.holders()
            if holder.consent_field
        )


class ClockAnchor(models.Model):
    """The real moment at which a simulated clock setting was its moment.

    One row per `QUALITYWEEK_CLOCK` value, shared by every process on every host.
    """

    value = models.CharField(_("clock setting"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("real time of the simulated moment"))

    class Meta:
        verbose_name = _("clock anchor")
        verbose_name_plural = _("clock anchors")

    def __str__(self):
        return self.value


class PeriodicRun(models.Model):
    """That a periodic job has been queued for one of its slots (a day, a quarter
    of an hour). Schedulers on every host try to add the row; the one that does
    queues the job, so each job runs once per cluster and slot."""

    job = models.CharField(_("job"), max_length=50)
    slot = models.CharField(_("slot"), max_length=30)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="periodic_run_once")
        ]

    def __str__(self):
        return f"{self.job} {self.slot}"


class WorkerHeartbeat(models.Model):
    """When a task worker was last seen alive, by the database's own clock.

    Each worker beats every few seconds from a thread of its own, task or no
    task (qualityweek.workers); a task whose worker has stopped beating was left
    by a dead process and goes back in the queue within the minute."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id


class SentLetter(models.Model):
    """A letter with this key, recorded before the mail server is asked to take
    it, so that it never goes twice: a worker that dies while sending, or after
    sending but before marking its task done, leaves the task to be run a second
    time (requeue_abandoned_tasks), and that run finds the record instead."""

    class State(models.TextChoices):
        ATTEMPTING = "attempting", _("being sent")
        SENT = "sent", _("sent")
        BOUNCED = "bounced", _("refused for good")
        # A worker died while sending: the server may or may not have taken it.
        UNCERTAIN = "uncertain", _("fate unknown")

    key = models.CharField(_("letter key"), max_length=32, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SENT
    )
    # What the letter was about, by primary key: for operators, never an address.
    about = models.CharField(_("about"), max_length=50, blank=True)
    object_pk = models.PositiveIntegerField(_("primary key"), null=True)
    mail = models.CharField(_("letter"), max_length=30, blank=True)
    sent_at = models.DateTimeField(_("first attempt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sent letter")
        verbose_name_plural = _("sent letters")

    def __str__(self):
        return self.key


class Authenticator(TOTPDevice):
    """An organiser's authenticator app (django-otp's TOTP device), in our words.

    The proxy gives the admin Russian names; django_otp's own admin has none.
    """

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")


class DataOperator(models.Model):
    """Who processes people's data under 152-FZ, and where they send requests
    about it: organisers set it in admin, the policy, every consent and the
    footer show it. One row; until organisers fill it in, the pages say that
    the details are to come rather than name anyone."""

    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_("The operator's full name, as in its founding documents."),
    )
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=500)
    address_en = models.CharField(_("address in English"), max_length=500, blank=True)
    inn = models.CharField(
        _("INN"),
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(
                r"^(\d{10}|\d{12})$", _("An INN has 10 digits (12 for a person).")
            )
        ],
    )
    email = models.EmailField(
        _("e-mail for data requests"),
        help_text=_(
            "Where people ask what data is held about them, correct it or "
            "withdraw their consent."
        ),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("personal data operator")
        verbose_name_plural = _("personal data operator")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="data_operator_one")
        ]

    def __str__(self):
        return self.name

    name_i18n = Translated("name")
    address_i18n = Translated("address")

    def save(self, *args, **kwargs):
        self.pk = 1  # the one row
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "DataOperator | None":
        """The operator as organisers last set it, read from the cache."""
        from django.core.cache import cache

        found = cache.get(DATA_OPERATOR_CACHE_KEY, NOT_CACHED)
        if found is NOT_CACHED:
            found = cls.objects.filter(pk=1).first()
            cache.set(DATA_OPERATOR_CACHE_KEY, found, DATA_OPERATOR_CACHE_SECONDS)
        return found


DATA_OPERATOR_CACHE_KEY = "qualityweek:data-operator"
# Saving clears it; the timeout bounds what a per-process cache keeps elsewhere.
DATA_OPERATOR_CACHE_SECONDS = 300
NOT_CACHED = object()


class Message(models.Model):
    """What organisers wrote to an audience (qualityweek.messages): the texts in
    both languages, whom they chose, and each recipient's letter below."""

    # A form's key: the same confirmation posted twice is one message.
    key = models.CharField(_("key"), max_length=32, unique=True, editable=False)
    audience = models.CharField(_("audience"), max_length=30)
    group = models.CharField(_("who"), max_length=20)
    about = models.CharField(_("chosen"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    subject_en = models.CharField(_("subject in English"), max_length=200)
    body = models.TextField(_("text"))
    body_en = models.TextField(_("text in English"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        verbose_name=_("sent by"),
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to people")
        verbose_name_plural = _("messages to people")
        permissions = [
            ("send_message", _("Can write to registrants and venues")),
        ]

    def __str__(self):
        return self.subject

    subject_i18n = Translated("subject")
    body_i18n = Translated("body")


class MessageRecipient(models.Model):
    """One person's letter of a message: whom (by model and primary key, never
    the address, which stays where the person's data is erased), in which
    language, and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        NOT_SENT = "not_sent", _("not sent: erased or cancelled meanwhile")
        FAILED = "failed", _("refused by the mail server")

    message = models.ForeignKey(
        Message, models.CASCADE, verbose_name=_("message"), related_name="recipients"
    )
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record number"))
    recipient = GenericForeignKey("content_type", "object_id")
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="ru"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "content_type", "object_id"],
                name="message_recipient_once",
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}"


class PlaceholderQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


class Placeholder(models.Model):
    """A value shipped with the site that nobody has confirmed: which field of
    which row, and the value it came with (fixtures/README.md says why).

    It stands while the field still holds that value: an organiser who saves a
    real one in admin clears it, and one who finds the shipped value right
    confirms it on the admin page of what is still demo or a placeholder.
    """

    content_type = models.ForeignKey(
        ContentType, models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    field = models.CharField(_("field"), max_length=100)
    shipped_value = models.TextField(_("shipped value"), blank=True)

    objects = PlaceholderQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "field"]
        verbose_name = _("demo content or placeholder")
        verbose_name_plural = _("demo content and placeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"],
                name="placeholder_one_per_field",
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.field}"
