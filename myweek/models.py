"""A visitor's own week: what they marked, under a private link, with no account."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualityweek import clock


def new_token() -> str:
    # 32 random bytes: the link is the only key to the list.
    return secrets.token_urlsafe(32)


class Selection(models.Model):
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(
        _("last used"), default=clock.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("visitor's week")
        verbose_name_plural = _("visitors' weeks")

    def __str__(self):
        return f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("myweek:detail", kwargs={"token": self.token})


class SelectionItem(models.Model):
    """One marked entry of the programme, named as `events.entries.identity`
    names it: by its source's label and its primary key."""

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="items"
    )
    source = models.CharField(_("source"), max_length=50)
    object_pk = models.PositiveBigIntegerField(_("row"))
    added_at = models.DateTimeField(_("added"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("marked entry")
        verbose_name_plural = _("marked entries")
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "source", "object_pk"],
                name="myweek_item_once_a_selection",
            )
        ]

    def __str__(self):
        return f"{self.source} {self.object_pk}"
