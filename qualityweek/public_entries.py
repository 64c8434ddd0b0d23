"""What the rows behind the public forms share: a stranger's personal data given
with consent (a sign-up, an activation, a venue's application), and, for the
entries organisers moderate, the status, the reason and the moments.

Abstract models: each app's table keeps its own columns; only these
definitions are written once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock
from .models import ConsentText


class PersonalDataEntry(models.Model):
    """A row a stranger stored with a public form: whom to write to, in which
    language, the consent given, a refused address, the erasure."""

    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="ru"
    )
    consent_text = models.ForeignKey(
        ConsentText,
        models.PROTECT,
        verbose_name=_("consent text"),
        related_name="%(class)ss",
        null=True,
    )
    consent_given_at = models.DateTimeField(_("consent given"), null=True)
    # The mail server refused the address for good (qualityweek.mail.note_outcome):
    # organisers see it, the person's page asks for a corrected address.
    email_failed_at = models.DateTimeField(
        _("mail refused"), null=True, blank=True, editable=False
    )
    email_failed_letter = models.CharField(
        _("refused letter"), max_length=30, blank=True, editable=False
    )
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ModeratedEntry(PersonalDataEntry):
    """An entry organisers approve or reject with a reason its submitter reads."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(
        _("reason for rejection"),
        blank=True,
        help_text=_("The submitter reads it in the e-mail and on their own page."),
    )
    # The random key the form carried (qualityweek.submissions): a second
    # submission of the same form (a double click) stores no second row.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )
    submitted_at = models.DateTimeField(
        _("submitted"), default=clock.now, editable=False
    )
    moderated_at = models.DateTimeField(
        _("moderated"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]

    def mark_approved(self) -> None:
        """Approved now, with no reason left from an earlier rejection; unsaved."""
        self.status = self.Status.APPROVED
        self.rejection_reason = ""
        self.moderated_at = clock.now()

    def mark_rejected(self, reason: str) -> None:
        """Rejected now for `reason` (trimmed); unsaved."""
        self.status = self.Status.REJECTED
        self.rejection_reason = reason.strip()
        self.moderated_at = clock.now()
