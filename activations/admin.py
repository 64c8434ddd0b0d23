import datetime
import difflib
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from qualityweek import images, moderation, spreadsheets
from qualityweek.mail_failures import MailRefusedAdminMixin
from qualityweek.permissions import PersonalDataAdminMixin

from . import exports, services
from .models import Activation


def thumbnail(image, *, alt: str) -> SafeString:
    """The stored image itself, small, linking to its full size (admin.css sizes
    it: the policy allows no inline style)."""
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">'
        '<img class="activation-thumbnail" src="{}" alt="{}"></a>',
        image.url,
        image.url,
        alt,
    )


class ImageThumbnailInput(AdminFileWidget):
    """The admin's file input that shows the stored image, never its file name."""

    def render(self, name, value, attrs=None, renderer=None):
        # Without a value the parent draws the bare file input alone.
        field_input = super().render(name, None, attrs, renderer)
        if not self.is_initial(value):
            return field_input
        clear = ""
        if not self.is_required:
            checkbox_name = self.clear_checkbox_name(name)
            checkbox_id = self.clear_checkbox_id(checkbox_name)
            clear = format_html(
                '<span class="clearable-file-input">'
                '<input type="checkbox" name="{}" id="{}"> <label for="{}">{}</label>'
                "</span>",
                checkbox_name,
                checkbox_id,
                checkbox_id,
                gettext("Remove the image"),
            )
        return format_html(
            '<div class="file-upload">{}{}<br>{}: {}</div>',
            thumbnail(value, alt=gettext("The image on the site")),
            clear,
            self.input_text,
            field_input,
        )


class ActivationAdminForm(forms.ModelForm):
    class Meta:
        model = Activation
        fields = "__all__"  # noqa: DJ007  (the admin's fieldsets choose)
        field_classes = {"image": images.ImageField}
        widgets = {"image": ImageThumbnailInput}

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


class CorrectionFilter(admin.SimpleListFilter):
    title = _("correction awaiting moderation")
    parameter_name = "correction"

    def lookups(self, request, model_admin):
        return [("waiting", _("Yes")), ("none", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.with_waiting_correction()
        if self.value() == "none":
            return queryset.filter(correction__isnull=True)
        return queryset


def shown(activation: Activation, field: str) -> str:
    """A field's value as the moderation screen shows it."""
    value = getattr(activation, field)
    if field == "kind":
        return activation.get_kind_display()
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j E Y")
    return str(value) if value is not None else ""


WORDS = re.compile(r"\n|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """The new text with the words it drops struck out and those it adds marked:
    a typo fixed in a long description shows at a glance."""
    # Line ends are words too, so that paragraphs stay paragraphs.
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", " ".join(old_words[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[j1:j2])))
        if tag == "equal":
            parts.append(format_html("{}", " ".join(new_words[j1:j2])))
    return format_html_join(" ", "{}", ((part,) for part in parts))


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
        "correction_column",
        "submitted_at",
    ]
    list_filter = [
        "status",
        CorrectionFilter,
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
        "correction_summary",
        "submitted_at",
        "moderated_at",
        "consent_text",
        "consent_given_at",
        "language",
        "erased_at",
    ]
    fieldsets = [
        (
            _("moderation"),
            {
                "fields": [
                    "status",
                    "rejection_reason",
                    "preview",
                    "correction_summary",
                ]
            },
        ),
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

    @admin.display(description=_("correction"))
    def correction_column(self, activation):
        if activation.correction is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:activations_activation_correction", args=[activation.pk]),
            gettext("Awaits moderation"),
        )

    @admin.display(description=_("correction awaiting moderation"))
    def correction_summary(self, activation):
        if activation.correction is None:
            if activation.correction_rejection_reason:
                return format_html(
                    "{} {}",
                    gettext("None. The last one was not accepted:"),
                    activation.correction_rejection_reason,
                )
            return "—"
        summary = format_html(
            '{} <a href="{}">{}</a>',
            gettext("Sent %(when)s; it changes: %(fields)s.")
            % {
                "when": formats.date_format(
                    timezone.localtime(activation.correction_submitted_at),
                    "j E, H:i",
                ),
                "fields": ", ".join(activation.corrected_field_labels()),
            },
            reverse("admin:activations_activation_correction", args=[activation.pk]),
            gettext("Review the correction"),
        )
        if activation.correction_image:
            summary = format_html(
                "{}{}",
                summary,
                thumbnail(
                    activation.correction_image,
                    alt=gettext("The new image of the correction"),
                ),
            )
        return summary

    def get_urls(self):
        return [
            path(
                "<int:pk>/correction/",
                self.admin_site.admin_view(self.correction_view),
                name="activations_activation_correction",
            ),
            *super().get_urls(),
        ]

    def correction_view(self, request, pk):
        """The correction beside the published version, old and new, both images;
        its buttons approve it or reject it with a reason."""
        activation = get_object_or_404(Activation, pk=pk, erased_at__isnull=True)
        if not self.has_change_permission(request, activation):
            raise PermissionDenied
        change_url = reverse("admin:activations_activation_change", args=[pk])
        if activation.correction is None:
            self.message_user(
                request,
                gettext("No correction of this activation awaits moderation."),
                messages.INFO,
            )
            return redirect(change_url)
        decision = request.POST.get("decision") if request.method == "POST" else None
        # The correction as the organiser saw it: one the company has changed
        # since is looked at again, never approved unseen.
        seen = request.POST.get("seen", "")
        form = moderation.RejectForm(request.POST if decision == "reject" else None)
        form.fields["reason"].label = gettext("Reason the submitter will read")
        try:
            if decision == "approve":
                services.approve_correction(activation, seen=seen)
                self.log_change(request, activation, gettext("Correction approved."))
                self.message_user(
                    request,
                    gettext(
                        "The correction is published; the submitter gets a letter."
                    ),
                    messages.SUCCESS,
                )
                return redirect(change_url)
            if decision == "reject" and form.is_valid():
                services.reject_correction(
                    activation, reason=form.cleaned_data["reason"], seen=seen
                )
                self.log_change(request, activation, gettext("Correction rejected."))
                self.message_user(
                    request,
                    gettext(
                        "The correction is rejected; the published version stays "
                        "and the submitter is told why."
                    ),
                    messages.SUCCESS,
                )
                return redirect(change_url)
        except services.ActivationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.path)
        corrected = activation.as_corrected()
        changes = []
        for field in activation.corrected_fields():
            if field == "image":
                continue
            old, new = shown(activation, field), shown(corrected, field)
            changes.append(
                {
                    "label": activation._meta.get_field(field).verbose_name,
                    "old": old,
                    "new": word_diff(old, new) if field == "description" else new,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Correction of «%(title)s»") % {"title": activation},
            "original": activation,
            "corrected": corrected,
            "changes": changes,
            "image_changed": "image" in activation.corrected_fields(),
            "form": form,
            "seen": services.correction_version(activation),
        }
        return TemplateResponse(
            request, "admin/activations/activation/correction.html", context
        )

    def save_model(self, request, obj, form, change):
        # Content corrections save as they are; a change of status goes through
        # the services, which write to the submitter.
        status, reason = obj.status, obj.rejection_reason
        stored = Activation.objects.get(pk=obj.pk)
        services.save_edit(obj)
        if status != stored.status or (
            status == Activation.Status.REJECTED and reason != stored.rejection_reason
        ):
            if status == Activation.Status.APPROVED:
                services.approve(obj)
            elif status == Activation.Status.REJECTED:
                services.reject(obj, reason=reason)
            else:
                services.return_to_moderation(obj)
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
