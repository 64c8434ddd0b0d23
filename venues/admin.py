from django.contrib import admin, messages
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from qualityweek import moderation, spreadsheets
from qualityweek.mail_failures import MailRefusedAdminMixin
from qualityweek.permissions import PersonalDataAdminMixin

from . import emails, exports, services
from .models import VenueApplication, VenueCall


@admin.register(VenueCall)
class VenueCallAdmin(admin.ModelAdmin):
    list_display = ["edition", "opens_at", "closes_at", "state"]
    fieldsets = [
        (None, {"fields": ["edition", ("opens_at", "closes_at")]}),
        (
            _("connection instructions"),
            {
                "fields": [
                    "instructions",
                    "instructions_en",
                    "instructions_changed_at",
                ]
            },
        ),
    ]
    readonly_fields = ["instructions_changed_at"]

    def save_model(self, request, obj, form, change):
        written = services.save_call(obj)
        if written:
            self.message_user(
                request,
                ngettext(
                    "The instructions changed: %(count)d approved venue will get "
                    "them by e-mail in a few minutes.",
                    "The instructions changed: %(count)d approved venues will get "
                    "them by e-mail in a few minutes.",
                    written,
                )
                % {"count": written},
                messages.SUCCESS,
            )

    @admin.display(description=_("now"))
    def state(self, call):
        return {
            services.CallState.NOT_YET: gettext("not open yet"),
            services.CallState.OPEN: gettext("open"),
            services.CallState.CLOSED: gettext("closed"),
        }[services.call_state(call)]


class FederalDistrictFilter(admin.SimpleListFilter):
    title = _("federal district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        from events.models import Region

        return Region.FederalDistrict.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(region__federal_district=self.value())
        return queryset


@admin.register(VenueApplication)
# The contacts' data, edited by an organiser, never shows in an error report.
@method_decorator(sensitive_post_parameters(), name="changeform_view")
class VenueApplicationAdmin(
    MailRefusedAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin
):
    list_display = [
        "venue_name",
        "city",
        "region",
        "audience",
        "status",
        "submitted_at",
    ]
    list_filter = [
        "status",
        FederalDistrictFilter,
        ("region", admin.RelatedOnlyFieldListFilter),
        "edition",
    ]
    search_fields = ["venue_name", "city", "organising_body", "email", "tech_email"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    actions = ["approve", "reject", "export_csv", "export_xlsx", "erase_personal_data"]
    readonly_fields = [
        "status",
        "rejection_reason",
        "venue_page",
        "submitted_at",
        "moderated_at",
        "withdrawn_at",
        "consent_text",
        "consent_given_at",
        "language",
        "erased_at",
    ]
    fieldsets = [
        (
            _("moderation"),
            {"fields": ["status", "rejection_reason", "venue_page"]},
        ),
        (
            _("venue"),
            {
                "fields": [
                    "edition",
                    ("region", "city"),
                    "venue_name",
                    "address",
                    "organising_body",
                    "audience",
                    "note",
                ]
            },
        ),
        (
            _("contact person"),
            {"fields": ["contact_name", "email", "phone", "language"]},
        ),
        (
            _("technical contact"),
            {"fields": ["tech_name", "tech_email", "tech_phone"]},
        ),
        (
            _("history"),
            {
                "fields": [
                    "consent_text",
                    "consent_given_at",
                    "submitted_at",
                    "moderated_at",
                    "withdrawn_at",
                    "erased_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # venues apply on the site, with their consent

    def has_delete_permission(self, request, obj=None):
        return False  # erase the personal data instead: the counts stay right

    @admin.display(description=_("venue's page"))
    def venue_page(self, application):
        if not application.pk or application.erased_at:
            return "—"
        # What the applicant sees, instructions included: organisers check it.
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            emails.page_url(application),
            gettext("Open the venue's own page"),
        )

    @admin.action(description=_("Approve the selected venues"), permissions=["change"])
    def approve(self, request, queryset):
        approved = [app for app in queryset if services.approve(app)]
        for application in approved:
            self.log_change(request, application, gettext("Approved."))
        self.message_user(
            request,
            ngettext(
                "%(count)d venue approved; the applicant gets the instructions.",
                "%(count)d venues approved; the applicants get the instructions.",
                len(approved),
            )
            % {"count": len(approved)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reject the selected, with a reason"), permissions=["change"]
    )
    def reject(self, request, queryset):
        reason, page = moderation.ask_reason(
            self,
            request,
            queryset,
            title=gettext("Reject venue applications"),
            explanation=gettext("The applicants get an e-mail with this reason."),
        )
        if page is not None:
            return page
        rejected = [app for app in queryset if services.reject(app, reason=reason)]
        for application in rejected:
            self.log_change(request, application, gettext("Rejected."))
        self.message_user(
            request,
            ngettext(
                "%(count)d application rejected; the applicant is told why.",
                "%(count)d applications rejected; the applicants are told why.",
                len(rejected),
            )
            % {"count": len(rejected)},
            messages.SUCCESS,
        )
        return None

    @admin.action(
        description=_("Export the approved among the selected, with contacts (CSV)"),
        permissions=["export_personal_data"],
    )
    def export_csv(self, request, queryset):
        return self._export_list(request, queryset, spreadsheets.CSV)

    @admin.action(
        description=_("Export the approved among the selected, with contacts (XLSX)"),
        permissions=["export_personal_data"],
    )
    def export_xlsx(self, request, queryset):
        return self._export_list(request, queryset, spreadsheets.XLSX)

    def _export_list(self, request, queryset, format: str):
        approved = queryset.approved()
        self.log_personal_data(
            request,
            list(approved),
            gettext("Personal data exported: the list of venues."),
        )
        return spreadsheets.spreadsheet_response(
            exports.venue_rows(approved),
            "regional-venues",
            format,
            title=capfirst(gettext("regional venues")),
        )

    @admin.action(
        description=_("Erase the personal data of the selected people (152-FZ)"),
        permissions=["erase_personal_data"],
    )
    def erase_personal_data(self, request, queryset):
        unerased = queryset.filter(erased_at__isnull=True)
        return self.erase_people(
            request,
            queryset,
            emails=[
                *unerased.values_list("email", flat=True),
                *unerased.values_list("tech_email", flat=True),
            ],
            consequence=gettext(
                "Their venues leave the regional day's list; their registrations "
                "stay as counts."
            ),
        )
