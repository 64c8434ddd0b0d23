from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeRevision(models.Model):
    """A counter that rises on any change to the programme: keys the page caches.

    It lives in the database so that every server process sees a change at once,
    whatever the cache backend.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme revision")
        verbose_name_plural = _("programme revisions")

    def __str__(self):
        return str(self.number)
