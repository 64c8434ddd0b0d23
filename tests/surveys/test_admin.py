import pytest

from surveys import services
from surveys.models import SurveyInvitation, SurveyQuestion
from tests.pages import text_of
from tests.spreadsheets import sheet_of, values_of


def answered(regional_day, questions, scores_and_texts):
    """Answer every invitation (by source, then pk) with a score and a text."""
    invitations = SurveyInvitation.objects.filter(event=regional_day).order_by(
        "source", "pk"
    )
    for invitation, (score, text) in zip(invitations, scores_and_texts, strict=True):
        services.answer(invitation, {questions[0]: score, questions[1]: text})


def test_results_page_shows_averages_and_texts_per_event_and_region(
    organiser_client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    answered(regional_day, questions, [(5, "Больше секций"), (2, ""), (4, "")])

    response = organiser_client.get("/admin/surveys/?edition=2023")

    text = text_of(response)
    assert "Приглашено: 3; писем отправлено: 3; ответили: 3." in text
    assert (
        "(10.11.2023) · 3 ответа Вопрос Ответов Среднее (1–5) "
        "Насколько полезным было мероприятие? 3 3,67 Что улучшить? Больше секций"
    ) in text
    assert (
        "Кировская область · 2 ответа Вопрос Ответов Среднее (1–5) "
        "Насколько полезным было мероприятие? 2 4,5"
    ) in text
    assert "Москва · 1 ответ" in text


# PostgreSQL's AVG is a numeric (Decimal): the sheet still holds plain numbers.
@pytest.mark.postgres
def test_results_export_has_a_row_per_question_and_group(
    organiser_client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    answered(regional_day, questions, [(5, "Больше секций"), (2, ""), (4, "")])

    response = organiser_client.get("/admin/surveys/?edition=2023&format=xlsx")

    rows = values_of(sheet_of(response))
    assert rows[0][:6] == [
        "Группировка",
        "Мероприятие или регион",
        "Ответов на анкету",
        "Вопрос",
        "Ответов",
        "Среднее (1–5)",
    ]
    by_event = [row for row in rows if row[0] == "по мероприятиям"]
    assert by_event[0][2:6] == [3, "Насколько полезным было мероприятие?", 3, 3.67]
    assert by_event[1][6] == "Больше секций"
    kirov = [row for row in rows if row[1] == "Кировская область"]
    assert kirov[0][2:6] == [2, "Насколько полезным было мероприятие?", 2, 4.5]


def test_results_page_refuses_staff_without_the_permission(client, db, regional_day):
    from django.contrib.auth.models import User

    user = User.objects.create_user("helper", is_staff=True)
    client.force_login(user)

    response = client.get("/admin/surveys/")

    assert response.status_code == 403


def test_organiser_sets_a_question_for_the_edition(organiser_client, edition_2023):
    response = organiser_client.post(
        "/admin/surveys/surveyquestion/add/",
        {
            "edition": edition_2023.pk,
            "position": 1,
            "text": "Порекомендуете ли вы мероприятие коллегам?",
            "text_en": "Would you recommend the event to colleagues?",
            "kind": "scale",
            "required": "on",
        },
    )

    assert response.status_code == 302
    question = SurveyQuestion.objects.get()
    assert question.text == "Порекомендуете ли вы мероприятие коллегам?"
    assert question.edition == edition_2023


def test_results_page_is_linked_from_the_admin_index(organiser_client, db):
    response = organiser_client.get("/admin/")

    assert 'href="/admin/surveys/"' in response.content.decode()


def test_invitations_list_shows_who_was_asked_and_answered_without_the_link(
    organiser_client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    kirov = SurveyInvitation.objects.get(
        source="registrations", respondent_pk=participants["kirov"].pk
    )
    services.answer(kirov, {questions[0]: 5, questions[1]: ""})

    response = organiser_client.get("/admin/surveys/surveyinvitation/")

    html = response.content.decode()
    text = text_of(response)
    assert "3 приглашения к анкете" in text
    assert text.count("пришедший участник") == 2
    assert text.count("региональная площадка") == 1
    assert html.count('alt="True"') == 1  # answered
    assert html.count('alt="False"') == 2
    assert text.count("11 ноября 2023 г. 10:00") == 4  # 3 sent, 1 answered
    for invitation in SurveyInvitation.objects.all():
        assert invitation.token not in html


@pytest.mark.parametrize(
    ("answered", "count"), [("yes", "1 приглашение к анкете"), ("no", "2 приглашения")]
)
def test_invitations_filter_by_answer_and_event(
    organiser_client,
    clock,
    regional_day,
    questions,
    participants,
    send_invitations,
    answered,
    count,
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    first = SurveyInvitation.objects.order_by("pk").first()
    services.answer(first, {questions[0]: 4, questions[1]: ""})

    response = organiser_client.get(
        "/admin/surveys/surveyinvitation/",
        {"answered": answered, "event__id__exact": regional_day.pk},
    )

    assert count in text_of(response)


def test_invitation_is_read_only_and_hides_its_token(
    organiser_client, clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = SurveyInvitation.objects.order_by("pk").first()
    services.answer(invitation, {questions[0]: 4, questions[1]: ""})
    page = f"/admin/surveys/surveyinvitation/{invitation.pk}/change/"

    response = organiser_client.get(page)
    posted = organiser_client.post(page, {"language": "en"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Дата ответа: 11 ноября 2023 г. 10:00" in text_of(response)
    assert invitation.token not in html
    assert 'name="_save"' not in html
    assert posted.status_code == 403
    assert organiser_client.get("/admin/surveys/surveyinvitation/add/").status_code == (
        403
    )
    invitation.refresh_from_db()
    assert invitation.language == "ru"
