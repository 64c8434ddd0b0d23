from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events import respondents
from events.models import Edition
from qualityweek import spreadsheets
from qualityweek.admin_lists import MomentRecordedFilter, ReadOnlyAdminMixin

from . import services
from .models import SurveyInvitation, SurveyQuestion

PERMISSION = "surveys.view_surveyresponse"


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "edition", "position", "kind", "required"]
    list_filter = ["edition", "kind"]
    list_editable = ["position"]
    fields = ["edition", "position", "text", "text_en", "kind", "required"]

    def get_readonly_fields(self, request, obj=None):
        # Answers are read by their question's kind: it stays once answered.
        if obj is not None and obj.answers.exists():
            return ["edition", "kind"]
        return []


class AnsweredFilter(MomentRecordedFilter):
    title = _("answered")
    parameter_name = "answered"
    field = "answered_at"


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was asked and who answered, to read only. The token is never shown:
    it opens the survey as the person."""

    list_display = [
        "recipient_kind",
        "event_title",
        "sent_at",
        "is_answered",
        "answer_date",
    ]
    list_filter = [AnsweredFilter, "event__edition", "event"]
    list_select_related = ["event", "region"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "event",
        "recipient_kind",
        "region",
        "language",
        "created_at",
        "sent_at",
        "answer_date",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"), ordering="source")
    def recipient_kind(self, invitation):
        source = respondents.source(invitation.source)
        return source.kind if source is not None and source.kind else invitation.source

    # Not the foreign key itself: admin keeps a foreign key's column on one
    # line, and an event's long title would push the answers off the screen.
    @admin.display(description=_("event"), ordering="event__start")
    def event_title(self, invitation):
        return invitation.event.title_i18n

    @admin.display(description=_("answered"), boolean=True, ordering="answered_at")
    def is_answered(self, invitation):
        return invitation.answered_at is not None

    @admin.display(description=_("date of answer"), ordering="answered_at")
    def answer_date(self, invitation):
        # A string, in Moscow time: the change form shows a method's value as is.
        if invitation.answered_at is None:
            return None
        return formats.localize(timezone.localtime(invitation.answered_at))


def _edition(request):
    year = request.GET.get("edition", "")
    if year.isdigit():
        edition = Edition.objects.filter(year=int(year)).first()
        if edition is not None:
            return edition
    return Edition.objects.current()


def export_rows(edition) -> list[list]:
    """Every aggregate of the edition as a sheet: per event, then per region."""
    rows = [
        [
            gettext("Grouped by"),
            gettext("Event or region"),
            gettext("Responses"),
            gettext("Question"),
            gettext("Answers"),
            gettext("Average (1–5)"),
            gettext("Free-text answers"),
        ]
    ]
    for grouping, groups in (
        (gettext("by event"), services.results_by_event(edition)),
        (gettext("by region"), services.results_by_region(edition)),
    ):
        for group in groups:
            for result in group.questions:
                rows.append(
                    [
                        grouping,
                        group.label,
                        group.responses,
                        result.question.text_i18n,
                        result.answers,
                        result.average,
                        "\n".join(result.texts),
                    ]
                )
    return rows


def results_view(admin_site, request):
    """An edition's answers per event and per region; `?format=xlsx` exports."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    edition = _edition(request)
    if edition is not None and request.GET.get("format") == spreadsheets.XLSX:
        return spreadsheets.xlsx_response(
            export_rows(edition),
            f"survey-{edition.year}.xlsx",
            title=gettext("Survey"),
        )
    context = {
        **admin_site.each_context(request),
        "title": _("Survey results"),
        "edition": edition,
        "editions": Edition.objects.order_by("-year"),
    }
    if edition is not None:
        context.update(
            by_event=services.results_by_event(edition),
            by_region=services.results_by_region(edition),
            invitations=services.invitations_summary(edition),
        )
    return TemplateResponse(request, "admin/surveys/results.html", context)
