"""What organisers see of mail refused for good (qualityweek.mail.note_outcome):
a "mail bounced" filter and column in the admin of every record that keeps it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_lists import MomentRecordedFilter

FIELDS = ["email_failed_at", "email_failed_letter"]


class MailRefusedFilter(MomentRecordedFilter):
    title = _("mail bounced")
    parameter_name = "mail_bounced"
    field = "email_failed_at"


class MailRefusedAdminMixin:
    """For a ModelAdmin of a model with `email_failed_at` and
    `email_failed_letter`: people to reach another way, or whose address to fix."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "mail_bounced"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MailRefusedFilter]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.email_failed_at is None:
            return fieldsets
        return [*fieldsets, (_("mail refused for good"), {"fields": FIELDS})]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *FIELDS]

    @admin.display(
        description=_("mail bounced"), boolean=True, ordering="email_failed_at"
    )
    def mail_bounced(self, obj) -> bool:
        return obj.email_failed_at is not None
