from django import forms
from django.contrib import admin, messages
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from qualityweek import images, moderation, spreadsheets
from qualityweek.mail_failures import MailRefusedAdminMixin
from qualityweek.permissions import PersonalDataAdminMixin

from . import exports, services
from .models import Activation


class ActivationAdminForm(forms.ModelForm):
    class Meta:
        model = Activation
        fields = "__all__"  # noqa: DJ007  (the admin's fieldsets choose)
        field_classes = {"image": images.ImageField}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Activation.Status.REJECTED
            and not (cleaned.get("rejection_reason") or "").strip()
        ):
            self.add_error(
                "rejection_reason", gettext("Write the reason the submitter will read.")
            )
        return cleaned


@admin.register(Activation)
# The contact person's data, edited by an organiser, never shows in an error report.
@method_decorator(sensitive_post_parameters(), name="changeform_view")
class ActivationAdmin(MailRefusedAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin):
    form = ActivationAdminForm
    list_display = [
        "title",
        "company_name",
        "region",
        "kind",
        "first_day",
        "status",
        "submitted_at",
    ]
    list_filter = [
        "status",
        "kind",
        ("region", admin.RelatedOnlyFieldListFilter),
        "edition",
    ]
    search_fields = ["title", "company_name", "inn", "city", "email"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    date_hierarchy = "first_day"
    actions = [
        "approve",
        "reject",
        "export_csv",
        "export_xlsx",
        "erase_personal_data",
    ]
    readonly_fields = [
        "preview",
        "submitted_at",
        "moderated_at",
        "consent_text",
        "consent_given_at",
        "language",
        "erased_at",
    ]
    fieldsets = [
        (_("moderation"), {"fields": ["status", "rejection_reason", "preview"]}),
        (
            _("company"),
            {"fields": ["edition", "company_name", "inn", "website", "region", "city"]},
        ),
        (
            _("activation"),
            {
                "fields": [
                    "kind",
                    "title",
                    "slug",
                    "description",
                    ("first_day", "last_day"),
                    "address",
                    "online_url",
                    "image",
                ]
            },
        ),
        (
            _("contact person"),
            {"fields": ["contact_name", "email", "phone", "language"]},
        ),
        (
            _("history"),
            {
                "fields": [
                    "consent_text",
                    "consent_given_at",
                    "submitted_at",
                    "moderated_at",
                    "erased_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # businesses submit on the site, with their consent

    def has_delete_permission(self, request, obj=None):
        return False  # erase the personal data instead: the counts stay right

    @admin.display(description=_("on the site"))
    def preview(self, activation):
        if not activation.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            activation.get_absolute_url(),
            gettext("Open the page")
            if activation.status == Activation.Status.APPROVED
            else gettext("Preview the page"),
        )

    def save_model(self, request, obj, form, change):
        # Content corrections save as they are; a change of status goes through
        # the services, which write to the submitter.
        status = obj.status
        stored = Activation.objects.get(pk=obj.pk)
        obj.status = stored.status
        if "image" in form.changed_data and stored.image:
            stored.image.delete(save=False)
        obj.save()
        if status != stored.status or (
            status == Activation.Status.REJECTED
            and obj.rejection_reason != stored.rejection_reason
        ):
            if status == Activation.Status.APPROVED:
                services.approve(obj)
            elif status == Activation.Status.REJECTED:
                services.reject(obj, reason=obj.rejection_reason)
            else:
                Activation.objects.filter(pk=obj.pk).update(status=status)
            obj.refresh_from_db()

    @admin.action(
        description=_("Approve and publish the selected"), permissions=["change"]
    )
    def approve(self, request, queryset):
        count = sum(services.approve(activation) for activation in queryset)
        for activation in queryset:
            self.log_change(request, activation, gettext("Approved."))
        self.message_user(
            request,
            ngettext(
                "%(count)d activation approved.",
                "%(count)d activations approved.",
                count,
            )
            % {"count": count},
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
            title=gettext("Reject activations"),
            explanation=gettext(
                "The submitters get an e-mail with this reason and a link to "
                "correct their entry."
            ),
        )
        if page is not None:
            return page
        count = 0
        for activation in queryset:
            if services.reject(activation, reason=reason):
                count += 1
                self.log_change(request, activation, gettext("Rejected."))
        self.message_user(
            request,
            ngettext(
                "%(count)d activation rejected; the submitter is told why.",
                "%(count)d activations rejected; the submitters are told why.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None

    # The contact people's data leaves the site: personal data officers only, and
    # each export is in the admin log.
    @admin.action(
        description=_("Export the selected, with contacts (CSV)"),
        permissions=["export_personal_data"],
    )
    def export_csv(self, request, queryset):
        return self._export_list(request, queryset, spreadsheets.CSV)

    @admin.action(
        description=_("Export the selected, with contacts (XLSX)"),
        permissions=["export_personal_data"],
    )
    def export_xlsx(self, request, queryset):
        return self._export_list(request, queryset, spreadsheets.XLSX)

    def _export_list(self, request, queryset, format: str):
        self.log_personal_data(
            request,
            list(queryset.filter(erased_at__isnull=True)),
            gettext("Personal data exported: the list of activations."),
        )
        return spreadsheets.spreadsheet_response(
            exports.activation_rows(queryset),
            "activations",
            format,
            title=capfirst(Activation._meta.verbose_name_plural),
        )

    @admin.action(
        description=_("Erase the personal data of the selected people (152-FZ)"),
        permissions=["erase_personal_data"],
    )
    def erase_personal_data(self, request, queryset):
        return self.erase_people(
            request,
            queryset,
            emails=queryset.filter(erased_at__isnull=True).values_list(
                "email", flat=True
            ),
            consequence=gettext(
                "Their activations leave the site with their images; their "
                "registrations stay as counts."
            ),
        )
