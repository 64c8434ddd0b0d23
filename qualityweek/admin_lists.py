"""What organisers' lists in admin share across apps: a record they only read,
and a yes/no filter on whether a moment is recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdminMixin:
    """For a ModelAdmin of records that the site writes and organisers read:
    no adding, changing or deleting from admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MomentRecordedFilter(admin.SimpleListFilter):
    """Yes or no: whether the `field` moment is set (answered, mail bounced)."""

    field = ""

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset
