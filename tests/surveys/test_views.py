from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.pages import text_of


def invitation_of(regional_day, participants):
    return SurveyInvitation.objects.get(
        event=regional_day,
        source="registrations",
        respondent_pk=participants["kirov"].pk,
    )


def url_of(invitation):
    return f"/survey/{invitation.token}/"


def test_survey_page_asks_the_editions_questions(
    client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = invitation_of(regional_day, participants)

    response = client.get(url_of(invitation))

    text = text_of(response)
    assert "Насколько полезным было мероприятие?" in text
    assert "Что улучшить?" in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_survey_answered_once_then_thanks(
    client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = invitation_of(regional_day, participants)
    url = url_of(invitation)
    first, second = (f"question_{question.pk}" for question in questions)

    answered = client.post(url, {first: "4", second: "Больше практики"})
    again = client.post(url, {first: "1", second: ""})
    visit = client.get(url)

    assert "Ваши ответы сохранены" in text_of(answered)
    assert SurveyResponse.objects.count() == 1
    assert list(SurveyAnswer.objects.values_list("score", "text").order_by("pk")) == [
        (4, ""),
        (None, "Больше практики"),
    ]
    assert "уже ответили" in text_of(again)
    assert "уже ответили" in text_of(visit)


def test_survey_without_a_required_answer_asks_again(
    client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = invitation_of(regional_day, participants)

    response = client.post(url_of(invitation), {f"question_{questions[1].pk}": "Да"})

    assert response.status_code == 200
    assert "Обязательное поле" in text_of(response)
    assert "Да" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_survey_score_outside_the_scale_is_refused(
    client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = invitation_of(regional_day, participants)

    response = client.post(url_of(invitation), {f"question_{questions[0].pk}": "9"})

    assert response.status_code == 200
    assert SurveyResponse.objects.count() == 0


def test_survey_with_an_unknown_token_is_not_found(client, db):
    response = client.get("/survey/forged-token/")

    assert response.status_code == 404


def test_survey_link_is_masked_in_the_logs():
    from qualityweek import secret_paths

    assert secret_paths.mask("GET /en/survey/AbC-12_x/ 200") == (
        "GET /en/survey/<secret>/ 200"
    )
