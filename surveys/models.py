"""A short survey after each event: organisers' questions per edition, the
invitations with their personal links, and the answers, which once the link to
the person is gone (events.respondents.forget) are nobody's."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Edition, Event, Region
from qualityweek import clock, mail
from qualityweek.i18n import Translated

SCORES = range(1, 6)


def new_token() -> str:
    """The unguessable key of a personal survey link."""
    return secrets.token_urlsafe(32)


def event_field(related_name: str) -> models.ForeignKey:
    """The event an invitation or a response is about."""
    return models.ForeignKey(
        Event, models.CASCADE, verbose_name=_("event"), related_name=related_name
    )


def region_field() -> models.ForeignKey:
    """Where an invitation's or a response's answers count: the respondent's
    region, None for one from abroad."""
    return models.ForeignKey(
        Region,
        models.PROTECT,
        verbose_name=_("region"),
        related_name="+",
        null=True,
        blank=True,
    )


class SurveyQuestionQuerySet(models.QuerySet):
    def of_edition(self, edition):
        return self.filter(edition=edition).order_by("position", "pk")


class SurveyQuestion(models.Model):
    """One question organisers ask after each event of an edition."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale from 1 to 5")
        TEXT = "text", _("Free text")

    edition = models.ForeignKey(
        Edition,
        models.CASCADE,
        verbose_name=_("edition"),
        related_name="survey_questions",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE
    )
    required = models.BooleanField(_("answer required"), default=True)

    objects = SurveyQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["edition", "position", "pk"]

    def __str__(self):
        return self.text

    text_i18n = Translated("text")


class SurveyInvitation(models.Model):
    """A personal link to an event's survey, for one respondent of a source
    (events.respondents); sent once, answered once."""

    event = event_field("survey_invitations")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    source = models.CharField(_("source"), max_length=30)
    # The source's row, the one link to the person: None once they are erased.
    respondent_pk = models.PositiveBigIntegerField(_("respondent"), null=True)
    region = region_field()
    language = models.CharField(_("language"), max_length=10, default="ru")
    # The key of its one letter (qualityweek.mail.deliver): sent at most once.
    letter_key = models.CharField(max_length=32, default=mail.new_key, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "source", "respondent_pk"],
                name="survey_invitation_once_per_person",
            )
        ]

    def __str__(self):
        return f"{self.event} #{self.pk}"


class SurveyResponseQuerySet(models.QuerySet):
    def of_edition(self, edition):
        return self.filter(event__edition=edition)


class SurveyResponse(models.Model):
    """One filled-in survey: the event and region it counts for, its answers."""

    event = event_field("survey_responses")
    region = region_field()
    invitation = models.OneToOneField(
        SurveyInvitation,
        models.SET_NULL,
        verbose_name=_("invitation"),
        related_name="response",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("answered"), default=clock.now, editable=False)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.event} #{self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse,
        models.CASCADE,
        verbose_name=_("response"),
        related_name="answers",
    )
    # A question with answers stays: the aggregates are read by it.
    question = models.ForeignKey(
        SurveyQuestion,
        models.PROTECT,
        verbose_name=_("question"),
        related_name="answers",
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="survey_score_from_1_to_5",
            ),
        ]

    def __str__(self):
        return str(self.score) if self.score is not None else self.text[:50]
