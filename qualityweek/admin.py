from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import personal_data
from .models import ConsentText


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["version", "purpose", "created_at", "agreed"]
    list_filter = ["purpose"]
    search_fields = ["version"]
    readonly_fields = ["created_at"]
    fields = ["purpose", "version", "text", "text_en", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # People agreed to this very text: it is evidence and stays as it was. A
        # change in wording is a new version.
        if obj is not None and obj.is_in_use():
            return ["purpose", "version", "text", "text_en", "created_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("people who agreed"))
    def agreed(self, consent_text):
        return sum(
            holder.model.objects.filter(**{holder.consent_field: consent_text}).count()
            for holder in personal_data.holders()
            if holder.consent_field
        )
