"""The registration list's own filters."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class CheckedInFilter(admin.SimpleListFilter):
    title = _("checked in")
    parameter_name = "checked_in"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.checked_in()
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


class PersonalDataFilter(admin.SimpleListFilter):
    title = _("personal data")
    parameter_name = "personal_data"

    def lookups(self, request, model_admin):
        return [("kept", _("kept")), ("erased", _("erased"))]

    def queryset(self, request, queryset):
        if self.value() == "kept":
            return queryset.filter(erased_at__isnull=True)
        if self.value() == "erased":
            return queryset.filter(erased_at__isnull=False)
        return queryset
