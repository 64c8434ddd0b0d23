from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from qualityweek import images
from qualityweek.permissions import PersonalDataAdminMixin

from . import services
from .models import Winner

# The files an organiser opens from a winner's page: /media/ serves none of them.
ADMIN_FILES = ("photo", "publication_consent_document")


class WinnerAdminForm(forms.ModelForm):
    """A winner as organisers enter one: the photo goes through qualityweek.images;
    the files show through the admin's own links (`files`), never /media/."""

    class Meta:
        model = Winner
        fields = [
            "edition",
            "kind",
            "name",
            "name_en",
            "nomination",
            "nomination_en",
            "region",
            "award_event",
            "text",
            "text_en",
            "photo",
            "order",
            "email",
            "publication_consent_given_at",
            "publication_consent_document",
        ]
        field_classes = {"photo": images.ImageField}
        widgets = {
            "photo": forms.FileInput,
            "publication_consent_document": forms.FileInput,
        }


@admin.register(Winner)
class WinnerAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    form = WinnerAdminForm
    list_display = ["name", "kind", "nomination", "region", "edition", "shown", "order"]
    list_filter = ["edition", "kind", "region"]
    search_fields = ["name", "name_en", "nomination"]
    autocomplete_fields = ["region"]
    readonly_fields = ["files", "publication_consent_withdrawn_at", "erased_at"]
    actions = ["withdraw_consent", "erase_personal_data"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "edition",
                    "kind",
                    ("name", "name_en"),
                    ("nomination", "nomination_en"),
                    "region",
                    "award_event",
                    ("text", "text_en"),
                    "photo",
                    "order",
                ]
            },
        ),
        (
            _("Consent to publish (152-FZ, art. 10.1)"),
            {
                "description": _(
                    "A winner is shown on the site only with a separate signed "
                    "consent to publish, given and not withdrawn. To take a "
                    "winner off the site, use the action «Withdraw the consent "
                    "to publish» in the list."
                ),
                "fields": [
                    "email",
                    "publication_consent_given_at",
                    "publication_consent_document",
                    "publication_consent_withdrawn_at",
                    "erased_at",
                    "files",
                ],
            },
        ),
    ]

    @admin.display(description=_("on the site"), boolean=True)
    def shown(self, winner):
        return winner.is_published

    @admin.display(description=_("stored files"))
    def files(self, winner):
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:winners_winner_file", args=[winner.pk, field]),
                Winner._meta.get_field(field).verbose_name,
            )
            for field in ADMIN_FILES
            if winner.pk and getattr(winner, field)
        ]
        return format_html(" · ".join(["{}"] * len(links)), *links) if links else "—"

    def get_urls(self):
        return [
            path(
                "<int:pk>/files/<str:field>/",
                self.admin_site.admin_view(self.file_view),
                name="winners_winner_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, pk, field):
        """A stored file of the winner, for organisers who may see winners."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if field not in ADMIN_FILES:
            raise Http404("No such file")
        file = getattr(get_object_or_404(Winner, pk=pk), field)
        if not file:
            raise Http404("No such file")
        response = FileResponse(file.open("rb"), as_attachment=True)
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request, obj, form, change):
        services.save_winner(obj, photo_changed="photo" in form.changed_data)

    @admin.action(
        description=_("Withdraw the consent to publish"), permissions=["change"]
    )
    def withdraw_consent(self, request, queryset):
        withdrawn = []
        for winner in queryset:
            if winner.is_published:
                services.withdraw_consent(winner)
                withdrawn.append(winner)
        for winner in withdrawn:
            self.log_change(request, winner, gettext("Consent to publish withdrawn."))
        self.message_user(
            request,
            ngettext(
                "%(count)d winner taken off the site.",
                "%(count)d winners taken off the site.",
                len(withdrawn),
            )
            % {"count": len(withdrawn)},
            messages.SUCCESS,
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
            emails=unerased.values_list("email", flat=True),
            consequence=gettext(
                "Their winner entries leave every page of the site; a company's "
                "entry without an e-mail is taken off with «Withdraw the consent "
                "to publish»."
            ),
        )
