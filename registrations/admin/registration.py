"""The registrations in the organisers' admin."""

from django.contrib import admin
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from qualityweek.mail_failures import MailRefusedAdminMixin
from qualityweek.permissions import PersonalDataAdminMixin

from .. import services
from ..models import Registration
from .actions import RegistrationActions
from .filters import CheckedInFilter, PersonalDataFilter

PERSONAL_FIELDS = services.PERSONAL_FIELDS


@admin.register(Registration)
# An organiser's edit of a person never shows in an error report.
@method_decorator(sensitive_post_parameters(), name="changeform_view")
class RegistrationAdmin(
    RegistrationActions, MailRefusedAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin
):
    list_display = [
        "ticket_code",
        "person",
        "status",
        "mode",
        "event_title",
        "region",
        "organisation",
        "created_at",
        "checked_in_at",
    ]
    list_display_links = ["ticket_code", "person"]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        "status",
        "mode",
        ("region", admin.RelatedOnlyFieldListFilter),
        CheckedInFilter,
        PersonalDataFilter,
    ]
    search_fields = ["ticket_code", "organisation", "surname", "email"]
    list_select_related = ["event", "region"]
    autocomplete_fields = ["region"]
    actions = [
        "cancel",
        "promote_from_waiting_list",
        "resend_email",
        "check_in",
        "export_csv",
        "export_xlsx",
        "pass_office_list",
        "pass_office_csv",
        "pass_office_xlsx",
        "export_personal_data",
        "erase_personal_data",
    ]
    fieldsets = [
        (None, {"fields": ["event", "status", "mode", "ticket_code"]}),
        (
            _("person"),
            {"fields": [*PERSONAL_FIELDS, "region", "language"]},
        ),
        (_("consent"), {"fields": ["consent_text", "consent_given_at"]}),
        (
            _("history"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "waiting_since",
                    "cancelled_at",
                    "checked_in_at",
                    "reminder_sent_at",
                    "erased_at",
                ]
            },
        ),
    ]
    # Status and times change only through the actions, which call the services
    # that keep the seat counts and the waiting list right.
    readonly_fields = [
        "event",
        "status",
        "mode",
        "ticket_code",
        "consent_text",
        "consent_given_at",
        "created_at",
        "confirmed_at",
        "waiting_since",
        "cancelled_at",
        "checked_in_at",
        "reminder_sent_at",
        "erased_at",
    ]

    def has_add_permission(self, request):
        return False  # people register on the site, where the seat rules apply

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted registration would break the counts: erase it

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.erased_at:  # nothing left to correct
            return [*self.readonly_fields, *PERSONAL_FIELDS, "region", "language"]
        return self.readonly_fields

    @admin.display(description=_("event"), ordering="event__start")
    def event_title(self, registration):
        title = registration.event.title
        return format_html(
            '<span title="{}">{}</span>', title, Truncator(title).chars(36)
        )

    @admin.display(description=_("person"), ordering="surname")
    def person(self, registration):
        if registration.erased_at:
            return gettext("(personal data erased)")
        return registration.full_name
