"""The letter with a person's link to an event's survey."""

from django.urls import reverse
from django.utils.translation import gettext

from events import respondents
from qualityweek import clock, links, mail

from .models import SurveyInvitation


def survey_url(invitation: SurveyInvitation) -> str:
    return links.absolute(reverse("surveys:answer", args=[invitation.token]))


def send_invitation(invitation_pk: int) -> str:
    """Send the invitation's letter once: SENT, NOT_DUE, FAILED, BOUNCED…"""
    invitation = (
        SurveyInvitation.objects.select_related("event")
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None or invitation.answered_at is not None:
        return mail.NOT_DUE
    if invitation.sent_at is not None:
        return mail.SENT
    source = respondents.source(invitation.source)
    respondent = (
        source.find(invitation.respondent_pk)
        if source is not None and invitation.respondent_pk is not None
        else None
    )
    if respondent is None or not respondent.email:
        return mail.NOT_DUE  # erased meanwhile: nobody to write to
    event = invitation.event
    message = mail.render(
        "surveys/email/invitation",
        to=respondent.email,
        language=invitation.language,
        subject=lambda: (
            gettext("A few questions about “%(event)s”") % {"event": event.title_i18n}
        ),
        context=lambda: {
            "addressee": respondent.name,
            "event": event,
            "survey_url": survey_url(invitation),
            "site_url": links.absolute(reverse("events:home")),
            "policy_url": links.absolute(reverse("privacy")),
            "subject": gettext("A few questions about “%(event)s”")
            % {"event": event.title_i18n},
        },
    )
    outcome = mail.deliver(
        message,
        about="SurveyInvitation",
        pk=invitation.pk,
        mail="survey",
        key=invitation.letter_key,
    )
    if outcome in (mail.SENT, mail.UNCERTAIN):
        SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=clock.now())
    return outcome
