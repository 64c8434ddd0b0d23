import pytest

from qualityweek import personal_data
from surveys import services
from surveys.models import SurveyInvitation, SurveyResponse


def invitations_of(event):
    return SurveyInvitation.objects.filter(event=event).order_by("source", "pk")


def test_send_invitations_the_day_after_asks_those_let_in_and_the_venues(
    clock, regional_day, questions, participants, send_invitations, mailoutbox
):
    clock("2023-11-11T10:00+03:00")

    invited = send_invitations()

    assert invited == 3
    assert sorted(message.to[0] for message in mailoutbox) == [
        "kirov@example.ru",
        "moscow@example.ru",
        "venue@example.ru",
    ]
    letter = next(m for m in mailoutbox if m.to == ["kirov@example.ru"])
    token = (
        invitations_of(regional_day)
        .get(source="registrations", respondent_pk=participants["kirov"].pk)
        .token
    )
    assert f"/survey/{token}/" in letter.body
    assert "Мария Петровна" in letter.body


def test_send_invitations_twice_writes_once_to_each(
    clock, regional_day, questions, participants, send_invitations, mailoutbox
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    clock("2023-11-12T10:00+03:00")

    invited_again = send_invitations()

    assert invited_again == 0
    assert len(mailoutbox) == 3
    assert invitations_of(regional_day).filter(sent_at__isnull=False).count() == 3


def test_send_invitations_on_the_day_itself_waits(
    clock, regional_day, questions, participants, send_invitations, mailoutbox
):
    clock("2023-11-10T19:00+03:00")

    assert send_invitations() == 0
    assert mailoutbox == []


def test_send_invitations_without_questions_asks_nothing(
    clock, regional_day, participants, mailoutbox, send_invitations
):
    clock("2023-11-11T10:00+03:00")

    assert send_invitations() == 0
    assert mailoutbox == []


def test_answer_keeps_one_response_per_link(
    clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    invitation = invitations_of(regional_day).first()
    services.answer(invitation, {questions[0]: 4, questions[1]: "Больше секций"})

    with pytest.raises(services.SurveyError):
        services.answer(invitation, {questions[0]: 1, questions[1]: ""})

    assert SurveyResponse.objects.count() == 1
    [by_event] = services.results_by_event(regional_day.edition)
    assert by_event.responses == 1
    assert by_event.questions[0].average == 4
    assert by_event.questions[1].texts == ["Больше секций"]


def answer_all(regional_day, questions, scores):
    for invitation, score in zip(invitations_of(regional_day), scores, strict=True):
        services.answer(invitation, {questions[0]: score, questions[1]: ""})


def test_results_by_region_average_the_scores_of_each_region(
    clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    # By source then pk: Kirov's participant, Moscow's, then Kirov's venue.
    answer_all(regional_day, questions, [5, 2, 4])

    groups = {
        group.label: group for group in services.results_by_region(regional_day.edition)
    }

    assert groups["Кировская область"].responses == 2
    assert groups["Кировская область"].questions[0].average == 4.5
    assert groups["Кировская область"].questions[0].answers == 2
    assert groups["Москва"].questions[0].average == 2


def test_erasing_a_participant_removes_the_link_and_keeps_the_answers(
    clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()
    kirov = invitations_of(regional_day).get(
        source="registrations", respondent_pk=participants["kirov"].pk
    )
    services.answer(kirov, {questions[0]: 5, questions[1]: "Всё понравилось"})

    personal_data.erase_person("kirov@example.ru")

    kirov.refresh_from_db()
    assert kirov.respondent_pk is None
    response = SurveyResponse.objects.get()
    assert response.invitation == kirov
    figures = services.region_figures(
        participants["kirov"].region, regional_day.edition
    )
    assert figures["responses"] == 1
    assert figures["questions"][0][1]["average"] == 5


def test_erasing_a_venue_removes_the_link(
    clock, regional_day, questions, participants, send_invitations
):
    clock("2023-11-11T10:00+03:00")
    send_invitations()

    personal_data.erase_person("venue@example.ru")

    assert (
        not invitations_of(regional_day)
        .filter(source="venues", respondent_pk=participants["venue"].pk)
        .exists()
    )
    assert invitations_of(regional_day).filter(source="venues").count() == 1


def test_invitation_of_a_person_erased_before_it_goes_is_not_sent(
    regional_day, participants, mailoutbox
):
    from qualityweek import mail
    from surveys import emails

    invitation = SurveyInvitation.objects.create(
        event=regional_day,
        source="registrations",
        respondent_pk=participants["kirov"].pk,
    )
    personal_data.erase_person("kirov@example.ru")

    outcome = emails.send_invitation(invitation.pk)

    assert outcome == mail.NOT_DUE
    assert mailoutbox == []
