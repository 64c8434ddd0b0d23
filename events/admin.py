from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from qualityweek import images

from . import admin_figures, certificates, changes, next_edition, services
from .forms import MaterialAdminForm, OrganiserAdminForm, SpeakerAdminForm
from .models import (
    BrandKit,
    Certificate,
    Edition,
    EmbedOrigin,
    Event,
    Idea,
    Material,
    Organiser,
    Region,
    RegionalParticipation,
    Speaker,
    Venue,
)
from .templatetags.events_tags import event_time


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "federal_district", "time_zone"]
    list_filter = ["federal_district", "time_zone"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["code"]


@admin.register(EmbedOrigin)
class EmbedOriginAdmin(admin.ModelAdmin):
    list_display = ["origin", "note", "created_at"]
    search_fields = ["origin", "note"]


@admin.register(RegionalParticipation)
class RegionalParticipationAdmin(admin.ModelAdmin):
    list_display = ["region", "edition", "source", "source_url"]
    list_filter = ["edition"]
    search_fields = ["region__name", "region__code", "source"]
    autocomplete_fields = ["region"]
    list_select_related = ["region", "edition"]

    def get_changeform_initial_data(self, request):
        return {
            "edition": Edition.objects.current(),
            **super().get_changeform_initial_data(request),
        }


class IdeaInline(admin.TabularInline):
    model = Idea
    extra = 0
    fields = ["position", "icon", "title", "title_en", "text", "text_en"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    inlines = [IdeaInline]
    list_display = ["year", "title", "first_day", "quality_day", "last_day"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "year",
                    "title",
                    "title_en",
                    "motto",
                    "motto_en",
                    "lead",
                    "lead_en",
                ]
            },
        ),
        (_("dates"), {"fields": ["first_day", "quality_day", "last_day"]}),
        (_("contact"), {"fields": ["contact_email", "official_sites"]}),
    ]
    actions = ["prepare_next_edition"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/next-edition/",
                self.admin_site.admin_view(self.next_edition_view),
                name="events_edition_next",
            ),
            *super().get_urls(),
        ]

    def can_copy(self, request) -> bool:
        return request.user.has_perms(["events.add_edition", "events.add_event"])

    @admin.action(description=_("Prepare the next year's edition from this one"))
    def prepare_next_edition(self, request, queryset):
        editions = list(queryset[:2])
        if len(editions) != 1:
            self.message_user(
                request,
                _("Choose one edition to copy into the next year."),
                messages.WARNING,
            )
            return None
        return redirect("admin:events_edition_next", editions[0].pk)

    def next_edition_view(self, request, pk):
        """What the copy will create, shown before anything is; its button copies."""
        if not self.can_copy(request):
            raise PermissionDenied
        source = get_object_or_404(Edition, pk=pk)
        plan = next_edition.plan(source)
        if plan.existing is not None:
            self.message_user(
                request,
                _("The %(year)d edition exists already: nothing has been copied.")
                % {"year": plan.year},
                messages.WARNING,
            )
            return redirect("admin:events_edition_change", plan.existing.pk)
        if request.method == "POST":
            try:
                edition = next_edition.copy(source)
            except next_edition.AlreadyExists as error:
                return redirect("admin:events_edition_change", error.edition.pk)
            self.log_addition(request, edition, [{"added": {}}])
            self.message_user(request, next_edition.summary(edition), messages.SUCCESS)
            return redirect(
                reverse("admin:events_event_changelist")
                + f"?edition__id__exact={edition.pk}"
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("The %(year)d edition from %(source)s")
            % {"year": plan.year, "source": source},
            "plan": plan,
            "original": source,
        }
        return TemplateResponse(request, "admin/events/next_edition.html", context)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_en", "address"]
    autocomplete_fields = ["region"]

    def save_model(self, request, obj, form, change):
        services.save_venue(obj)


@admin.register(Organiser)
class OrganiserAdmin(admin.ModelAdmin):
    form = OrganiserAdminForm
    list_display = ["short_name", "name", "website", "position"]
    list_editable = ["position"]
    search_fields = ["name", "short_name", "name_en"]
    # Django's admin spells Cyrillic in Latin letters as it fills the address.
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    form = SpeakerAdminForm
    list_display = ["name", "position", "organisation", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name", "name_en", "organisation"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data:
            services.make_speaker_thumbnail(obj)


class SessionInline(admin.TabularInline):
    model = Event
    fk_name = "parent"
    extra = 0
    fields = [
        "title",
        "slug",
        "kind",
        "format",
        "start",
        "end",
        "venue",
        "is_published",
    ]
    autocomplete_fields = ["venue"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    verbose_name = _("session")
    verbose_name_plural = _("sessions")


# The organiser's answer on the change letter page: "send" or "skip".
CHANGE_LETTERS = "_change_letters"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    # What organisers scan, in a list that fits 1280 px: the rest is on the
    # event's page and in the filters.
    list_display = ["when", "title", "kind_and_format", "published", "seats_figure"]
    list_display_links = ["title"]
    list_filter = [
        "edition",
        "kind",
        "format",
        "is_published",
        "needs_review",
        "is_cancelled",
        "is_demo",
        ("venue__region", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "title_en", "slug", "description"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "region", "parent", "speakers", "organisers"]
    list_select_related = ["edition"]
    inlines = [SessionInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["edition", "title", "title_en", "slug", "kind", "format"]}),
        (
            _("time"),
            {"fields": ["start", "end", "is_date_confirmed", "is_time_confirmed"]},
        ),
        (_("place"), {"fields": ["venue", "place_to_be_announced", "region"]}),
        (
            _("online"),
            {"fields": ["stream_url", "online_instructions", "online_instructions_en"]},
        ),
        (
            _("texts"),
            {"fields": ["summary", "summary_en", "description", "description_en"]},
        ),
        (_("people"), {"fields": ["organisers", "speakers", "parent"]}),
        (
            _("status"),
            {"fields": ["is_published", "needs_review", "is_cancelled", "is_demo"]},
        ),
        (
            _("registration"),
            {
                "fields": [
                    "takes_registrations",
                    ("registration_opens", "registration_closes"),
                    ("seats", "keeps_waiting_list"),
                    "consent_text",
                    # and the registered figures (get_fieldsets)
                    ("seats_taken_figure", "seats_left_figure"),
                ]
            },
        ),
    ]
    readonly_fields = ["seats_taken_figure", "seats_left_figure"]

    def get_queryset(self, request):
        # The registered figures of every listed event in the list's one query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{figure.name: figure.count() for figure in admin_figures.figures()}
            )
        )

    def get_fieldsets(self, request, obj=None):
        *fieldsets, (name, options) = super().get_fieldsets(request, obj)
        *fields, seat_figures = options["fields"]
        seat_figures = (*seat_figures, *_figure_displays())
        return [*fieldsets, (name, {**options, "fields": [*fields, seat_figures]})]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *_figure_displays()]

    # Short headings: the event list is wide already.
    @admin.display(description=pgettext_lazy("seats", "taken"))
    def seats_taken_figure(self, event):
        # The one counter the seat services keep (the dashboard reads it too).
        return event.seats_taken if _has_people(event) else None

    @admin.display(description=pgettext_lazy("seats", "left"))
    def seats_left_figure(self, event):
        return max(event.seats - event.seats_taken, 0) if _has_people(event) else None

    @admin.display(description=_("kind"), ordering="kind")
    def kind_and_format(self, event):
        """Kind and format in one column, as "when" holds day and time."""
        return format_html(
            "{}<br><small>{}</small>",
            event.get_kind_display(),
            event.get_format_display(),
        )

    @admin.display(description=_("on the site"), boolean=True, ordering="is_published")
    def published(self, event):
        return event.is_published

    @admin.display(description=_("seats"))
    def seats_figure(self, event):
        """Taken of all seats, and the registered figures that have a count (the
        waiting list)."""
        if not _has_people(event):
            return None
        lines = [
            figure.in_list(count)
            for figure in admin_figures.figures()
            if figure.in_list and (count := getattr(event, figure.name, 0))
        ]
        if not lines:
            return f"{event.seats_taken} / {event.seats}"
        return format_html(
            "{} / {}<br><small>{}</small>",
            event.seats_taken,
            event.seats,
            format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)),
        )

    @admin.display(description=_("when, MSK"), ordering="start")
    def when(self, event):
        day = formats.date_format(timezone.localtime(event.start), "D, j E")
        return format_html("{}<br><small>{}</small>", day, event_time(event))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if (
            request.method == "POST"
            and object_id is not None
            and CHANGE_LETTERS not in request.POST
        ):
            preview = self.change_letter_preview(request, object_id)
            if preview is not None:
                return preview
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_letter_preview(self, request, object_id):
        """Before a change of time, place, format or status reaches people, the
        organiser sees how many will be written to and what they will read, and
        saves with the letter or without it (a typo fixed in a time)."""
        event = self.get_object(request, unquote(object_id))
        if event is None or not self.has_change_permission(request, event):
            return None  # the usual flow answers as it does
        before = changes.snapshot(event)
        count = changes.audience(event)
        form = self.get_form(request, event, change=True)(
            request.POST, request.FILES, instance=event
        )
        if not count or not form.is_valid():
            return None  # nobody to tell, or the form shows its errors
        change = changes.Change(before=before, after=changes.snapshot(form.instance))
        if not change.told or not (before["is_published"] or event.is_published):
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": event,
            "title": _("Write about this change?"),
            "change_lines": change.lines(),
            "count": count,
            "previews": changes.previews(form.instance, change),
            "delay_minutes": settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS // 60,
            # The form as it was sent, to send again with the organiser's choice.
            "posted": [
                (name, value)
                for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken"
                for value in values
            ],
            "choice": CHANGE_LETTERS,
        }
        return TemplateResponse(
            request, "admin/events/event_change_letters.html", context
        )

    def save_model(self, request, obj, form, change):
        notify = request.POST.get(CHANGE_LETTERS) != "skip"
        services.save_event(obj, notify=notify)
        if change and request.POST.get(CHANGE_LETTERS) == "send":
            self.message_user(
                request,
                _(
                    "The people registered will get one letter about the change "
                    "in %(minutes)d minutes; later edits go into the same letter."
                )
                % {"minutes": settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS // 60},
                messages.INFO,
            )

    def save_formset(self, request, form, formset, change):
        sessions = formset.save(commit=False)
        for session in sessions:
            session.edition = form.instance.edition
            services.save_event(session)
        for session in formset.deleted_objects:
            session.delete()
        formset.save_m2m()

    @admin.action(description=_("Publish the selected events"))
    def publish(self, request, queryset):
        count = services.set_published(queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw the selected events from the site"))
    def unpublish(self, request, queryset):
        count = services.set_published(queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d event withdrawn.", "%(count)d events withdrawn.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    form = MaterialAdminForm
    list_display = [
        "title",
        "edition",
        "file_format",
        "file_size",
        "is_published",
        "position",
    ]
    list_editable = ["is_published", "position"]
    list_filter = ["edition", "is_published"]
    search_fields = ["title", "title_en", "description", "description_en"]
    list_select_related = ["edition"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "edition",
                    "title",
                    "title_en",
                    "description",
                    "description_en",
                ]
            },
        ),
        (_("file"), {"fields": ["file", "position", "is_published"]}),
    ]

    @admin.display(description=_("format"))
    def file_format(self, material):
        return material.format

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, material):
        return None if material.size is None else filesizeformat(material.size)

    def get_changeform_initial_data(self, request):
        return {
            "edition": Edition.objects.current(),
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        services.save_material(obj)


def _has_people(event) -> bool:
    """Whether the event has figures to show: it takes registrations, or had."""
    return bool(
        event.takes_registrations
        or event.seats_taken
        or any(getattr(event, figure.name, 0) for figure in admin_figures.figures())
    )


def _display_of(figure: admin_figures.Figure):
    """A read-only field of the change page for a registered figure."""

    def display(event):
        return getattr(event, figure.name, None) if _has_people(event) else None

    display.__name__ = figure.name  # the field's CSS class, as a method's would be
    display.short_description = figure.label
    return display


# Made once per figure: the admin matches a page's fields by identity.
_displays: dict[str, object] = {}


def _figure_displays() -> list:
    figures = admin_figures.figures()
    for figure in figures:
        if figure.name not in _displays:
            _displays[figure.name] = _display_of(figure)
    return [_displays[figure.name] for figure in figures]


class BrandKitAdminForm(forms.ModelForm):
    class Meta:
        model = BrandKit
        fields = ["edition", "logo", "background"]
        field_classes = {"logo": images.ImageField, "background": images.ImageField}


@admin.register(BrandKit)
class BrandKitAdmin(admin.ModelAdmin):
    """The logo and background of an edition's posters, cards and certificates."""

    form = BrandKitAdminForm
    list_display = ["edition", "updated_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued by the site after the event; organisers reissue."""

    list_display = [
        "code",
        "kind",
        "holder",
        "subject",
        "edition",
        "issued_at",
        "mailed_at",
        "replaced_at",
    ]
    list_filter = ["edition", "kind", "source"]
    search_fields = ["code", "holder", "subject"]
    readonly_fields = [
        "code",
        "kind",
        "source",
        "object_pk",
        "edition",
        "holder",
        "subject",
        "language",
        "issued_at",
        "mailed_at",
        "replaced_at",
        "replaced_by",
        "erased_at",
    ]
    actions = ["reissue"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Reissue the certificates (new codes; letters go again)"),
        permissions=["change"],
    )
    def reissue(self, request, queryset):
        count = 0
        for certificate in queryset.current():
            certificates.reissue(certificate)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s certificate reissued.",
                "%(count)s certificates reissued.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
