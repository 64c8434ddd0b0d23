"""A participant answers the survey from the letter's link in Chromium, once."""

import pytest

from surveys.models import SurveyAnswer, SurveyInvitation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_participant_answers_the_survey_once(
    page, live_server, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = SurveyInvitation.objects.get(
        source="registrations", respondent_pk=participants["kirov"].pk
    )
    url = f"{live_server.url}/survey/{invitation.token}/"

    page.goto(url)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Что улучшить?").fill("Больше времени на вопросы")
    page.get_by_role("button", name="Отправить ответы").click()

    assert page.locator("h1").inner_text() == "Спасибо"
    assert list(SurveyAnswer.objects.values_list("score", "text").order_by("pk")) == [
        (4, ""),
        (None, "Больше времени на вопросы"),
    ]
    page.goto(url)
    assert "На эту анкету уже ответили" in page.locator("main").inner_text()
