"""Asking people about an event once it is over, and what their answers add up to."""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext

from events import respondents
from events.models import Event
from qualityweek import clock

from . import tasks
from .models import SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

logger = logging.getLogger(__name__)

# An event is asked about from the day after it ends, on this many days: the
# job catches up on a day it missed, and never asks about a long-past event.
ASK_WITHIN_DAYS = 7


class SurveyError(Exception):
    """A refusal to show the person (translated)."""


def due_events(today: datetime.date):
    """The events whose survey goes out today: over since yesterday (or a few
    days, for a missed run), published, not cancelled, with questions set."""
    first = today - datetime.timedelta(days=ASK_WITHIN_DAYS)
    return (
        Event.objects.published()
        .filter(
            is_cancelled=False,
            end__date__lt=today,  # Moscow dates: the day after it ends
            end__date__gte=first,
            edition__survey_questions__isnull=False,
        )
        .distinct()
        .order_by("end", "pk")
    )


@transaction.atomic
def invite(event: Event) -> int:
    """Invite each respondent of the event not invited yet; how many now."""
    invited = 0
    for source in respondents.sources():
        for respondent in source.respondents(event):
            invitation, created = SurveyInvitation.objects.get_or_create(
                event=event,
                source=source.label,
                respondent_pk=respondent.pk,
                defaults={
                    "region_id": respondent.region_id,
                    "language": respondent.language or "ru",
                },
            )
            if created:
                tasks.send_invitation.enqueue(invitation.pk)
                invited += 1
    if invited:
        logger.info("Event %s: %s survey invitations queued", event.pk, invited)
    return invited


def send_invitations() -> int:
    """The daily job: every due event's respondents invited, each once."""
    return sum(invite(event) for event in due_events(clock.today()))


def forget_respondent(label: str, pk: int) -> int:
    """A respondent's row was erased: their invitations no longer name it."""
    return SurveyInvitation.objects.filter(source=label, respondent_pk=pk).update(
        respondent_pk=None
    )


def questions_of(invitation: SurveyInvitation) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.of_edition(invitation.event.edition_id))


@transaction.atomic
def answer(invitation: SurveyInvitation, answers: dict) -> SurveyResponse:
    """Keep one response to the link; a second is refused. `answers` maps each
    question to a score (1–5) or a text; empty ones are left out."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise SurveyError(gettext("This survey has already been answered."))
    response = SurveyResponse.objects.create(
        event_id=invitation.event_id,
        region_id=invitation.region_id,
        invitation=invitation,
    )
    rows = []
    for question, value in answers.items():
        if value in (None, ""):
            continue
        if question.kind == SurveyQuestion.Kind.SCALE:
            rows.append(SurveyAnswer(response=response, question=question, score=value))
        else:
            rows.append(SurveyAnswer(response=response, question=question, text=value))
    SurveyAnswer.objects.bulk_create(rows)
    invitation.answered_at = clock.now()
    invitation.save(update_fields=["answered_at"])
    logger.info("Survey invitation %s: answered", invitation.pk)
    return response


# Aggregates: organisers' admin page, its export and a region's results.


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answers: int = 0
    average: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class GroupResult:
    """The answers about one event, or from one region."""

    label: str
    responses: int
    questions: list[QuestionResult]


def _results(edition, group_field: str, label_of) -> list[GroupResult]:
    """The answers of an edition grouped by `group_field` of the response: a
    handful of queries whatever the number of answers."""
    questions = list(SurveyQuestion.objects.of_edition(edition))
    responses = (
        SurveyResponse.objects.of_edition(edition)
        .values(group_field)
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row[group_field]: row["count"] for row in responses}
    answers = SurveyAnswer.objects.filter(response__event__edition=edition)
    figures = {
        (row[f"response__{group_field}"], row["question"]): row
        for row in answers.values(f"response__{group_field}", "question")
        .annotate(answers=Count("pk"), average=Avg("score"))
        .order_by()
    }
    texts: dict = {}
    for row in (
        answers.filter(question__kind=SurveyQuestion.Kind.TEXT)
        .exclude(text="")
        .values_list(f"response__{group_field}", "question", "text")
        .order_by("response__created_at", "pk")
    ):
        texts.setdefault((row[0], row[1]), []).append(row[2])
    labels = label_of(list(counts))
    groups = []
    for key in sorted(counts, key=lambda key: labels.get(key, "")):
        results = []
        for question in questions:
            row = figures.get((key, question.pk), {})
            average = row.get("average")
            results.append(
                QuestionResult(
                    question,
                    answers=row.get("answers", 0),
                    average=round(float(average), 2) if average is not None else None,
                    texts=texts.get((key, question.pk), []),
                )
            )
        groups.append(GroupResult(labels.get(key, ""), counts[key], results))
    return groups


def results_by_event(edition) -> list[GroupResult]:
    def labels(pks):
        return {
            event.pk: f"{event.title_i18n} ({event.local_start:%d.%m.%Y})"
            for event in Event.objects.filter(pk__in=pks)
        }

    return _results(edition, "event", labels)


def results_by_region(edition) -> list[GroupResult]:
    from events.models import Region

    def labels(pks):
        named = {
            region.pk: str(region.name_i18n)
            for region in Region.objects.filter(pk__in=pks)
        }
        named[None] = gettext("No region (from abroad)")
        return named

    return _results(edition, "region", labels)


def region_figures(region, edition) -> dict:
    """The answers from one region's people: responses, and per scale question
    its text, its answers and their mean (two queries)."""
    responses = SurveyResponse.objects.of_edition(edition).filter(region=region)
    scale = (
        SurveyAnswer.objects.filter(
            response__in=responses, question__kind=SurveyQuestion.Kind.SCALE
        )
        .values("question", "question__text", "question__text_en")
        .annotate(answers=Count("pk"), average=Avg("score"))
        .order_by("question__position", "question")
    )
    return {
        "responses": responses.count(),
        "questions": [
            (
                SurveyQuestion(
                    text=row["question__text"], text_en=row["question__text_en"]
                ),
                row,
            )
            for row in scale
        ],
    }


def invitations_summary(edition) -> dict:
    return SurveyInvitation.objects.filter(event__edition=edition).aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
