from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import messages, personal_data, placeholders, two_factor
from .admin_lists import ReadOnlyAdminMixin
from .models import (
    Authenticator,
    ConsentText,
    DataOperator,
    Message,
    MessageRecipient,
    Placeholder,
    SentLetter,
)


@admin.register(Placeholder)
class PlaceholderAdmin(admin.ModelAdmin):
    """One page of what is still demo or a placeholder, each with a link to fix
    it; a placeholder whose shipped value is right is confirmed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        can_confirm = self.has_delete_permission(request)
        if request.method == "POST":
            if not can_confirm:
                raise PermissionDenied
            chosen = request.POST.get("placeholder", "")
            placeholder = (
                Placeholder.objects.filter(pk=chosen).first()
                if chosen.isdigit() and len(chosen) < 19
                else None
            )
            if placeholder is not None:
                placeholders.confirm(placeholder)
                self.message_user(
                    request, gettext("The shipped value is confirmed as the real one.")
                )
            return redirect("admin:qualityweek_placeholder_changelist")
        return TemplateResponse(
            request,
            "admin/qualityweek/placeholders.html",
            {
                **self.admin_site.each_context(request),
                "title": capfirst(self.opts.verbose_name_plural),
                "opts": self.opts,
                "items": placeholders.standing(),
                "can_confirm": can_confirm,
            },
        )


@admin.register(DataOperator)
class DataOperatorAdmin(admin.ModelAdmin):
    """The one operator: its list is its form, and it cannot be deleted (the
    policy and every consent name it)."""

    fieldsets = [
        (None, {"fields": ["name", "name_en", "inn"]}),
        (_("address"), {"fields": ["address", "address_en"]}),
        (_("for data requests"), {"fields": ["email", "phone"]}),
    ]

    def add_view(self, request, form_url="", extra_context=None):
        operator = DataOperator.objects.first()
        if operator is not None:
            return redirect("admin:qualityweek_dataoperator_change", operator.pk)
        return super().add_view(request, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        operator = DataOperator.objects.first()
        if operator is None:
            return redirect("admin:qualityweek_dataoperator_add")
        return redirect("admin:qualityweek_dataoperator_change", operator.pk)


@admin.register(SentLetter)
class SentLetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What became of each keyed letter: operators look here for letters whose
    fate is unknown (a worker died while sending). Written by the tasks only."""

    list_display = ["key", "state", "about", "object_pk", "mail", "sent_at"]
    list_filter = ["state", "about"]
    search_fields = ["key"]
    date_hierarchy = "sent_at"


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


class AuthenticatorForm(forms.ModelForm):
    class Meta:
        model = Authenticator
        fields = ["user", "name", "confirmed", "key"]
        labels = {
            "user": _("user"),
            "name": _("name"),
            "confirmed": _("confirmed"),
            "key": _("secret key"),
        }
        help_texts = {
            "user": _("Whose phone the app is on."),
            "name": _("For example: Anna's phone."),
            "confirmed": _(
                "Only a confirmed app's codes open the admin. Confirm it here when "
                "you set it up for someone, or leave it off: its owner then "
                "confirms it with a code at /admin/two-factor/."
            ),
            "key": _("Made at random: leave it as it is."),
        }


# django_otp's own admin of these devices speaks English only. Recovery codes
# are their owner's alone (admin:recovery_codes): no one else lists them.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Authenticator)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    """A superuser sets up an organiser's app: add it, then show its QR code."""

    form = AuthenticatorForm
    list_display = ["user", "name", "confirmed", "qr_code"]
    list_filter = ["confirmed"]
    readonly_fields = ["qr_code"]

    def get_list_display(self, request):
        return self.list_display

    def get_fieldsets(self, request, obj=None):
        # The key shows once, while adding; after that only as the QR code.
        last = "key" if obj is None else "qr_code"
        return [(None, {"fields": ["user", "name", "confirmed", last]})]

    @admin.display(description=_("QR code"))
    def qr_code(self, device):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk}),
            gettext("Show the QR code"),
        )

    def config_view(self, request, pk):
        device = get_object_or_404(Authenticator, pk=pk)
        if not self.has_view_or_change_permission(request, device):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/authenticator_qr.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("QR code of %(device)s") % {"device": device.name},
                "opts": self.opts,
                "device": device,
                "qr_code": mark_safe(two_factor.qr_svg(device)),  # SVG made here
                "secret": two_factor.secret(device),
            },
        )


class AudienceFilter(admin.SimpleListFilter):
    title = _("written to")
    parameter_name = "audience"

    def lookups(self, request, model_admin):
        return [(a.key, a.action_label) for a in messages.registered()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(audience=self.value())
        return queryset


class MessageRecipientInline(admin.TabularInline):
    """Each recipient's letter: the record it went to, never the address."""

    model = MessageRecipient
    fields = ["content_type", "object_id", "language", "state", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What organisers wrote and what became of each letter: a record, not a form.
    A message is written from the list of the people's events or venues."""

    list_display = ["subject", "audience_label", "about", "created_at", "states"]
    list_filter = [AudienceFilter]
    search_fields = ["subject", "subject_en"]
    fields = [
        "audience_label",
        "group",
        "about",
        "subject",
        "body",
        "subject_en",
        "body_en",
        "sent_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [MessageRecipientInline]

    @admin.display(description=_("written to"))
    def audience_label(self, message):
        return messages.audience_of(message.audience).action_label

    def get_queryset(self, request):
        # Each state's count of every listed message in the list's one query.
        State = MessageRecipient.State
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{
                    f"letters_{state}": models.Count(
                        "recipients", filter=models.Q(recipients__state=state)
                    )
                    for state in State.values
                }
            )
        )

    @admin.display(description=_("letters"))
    def states(self, message):
        return ", ".join(
            f"{label}: {getattr(message, f'letters_{state}')}"
            for state, label in MessageRecipient.State.choices
            if getattr(message, f"letters_{state}", 0)
        )
