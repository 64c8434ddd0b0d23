"""The letters a change of an event owes the people it touches."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChangeNotice(models.Model):
    """One letter's worth of change to an event, owed to everyone it touches.

    Edits in quick succession share one notice: it keeps the event as people
    last heard of it, and when it falls due the features that keep people for
    the event (events.changes listeners) write the change from that state to
    the event as it is then, so five edits make one letter, and an edit undone
    makes none.
    """

    event = models.ForeignKey(
        "events.Event",
        models.CASCADE,
        verbose_name=_("event"),
        related_name="change_notices",
    )
    before = models.JSONField(_("as people knew it"))
    after = models.JSONField(_("as they are told"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Real time, as the task queue runs on it whatever the site clock says.
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("letters queued"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change letter")
        verbose_name_plural = _("change letters")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(sent_at__isnull=True),
                name="change_notice_one_open_per_event",
            )
        ]

    def __str__(self):
        return _("Change letter #%(pk)s") % {"pk": self.pk}
