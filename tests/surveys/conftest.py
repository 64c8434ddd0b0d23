import pytest

from surveys.models import SurveyQuestion
from tests.factories import RegistrationFactory, VenueApplicationFactory, region


@pytest.fixture
def questions(edition_2023):
    """The 2023 survey: a scale question, a free text one, an optional scale."""
    return [
        SurveyQuestion.objects.create(
            edition=edition_2023,
            position=1,
            text="Насколько полезным было мероприятие?",
            text_en="How useful was the event?",
        ),
        SurveyQuestion.objects.create(
            edition=edition_2023,
            position=2,
            text="Что улучшить?",
            kind=SurveyQuestion.Kind.TEXT,
            required=False,
        ),
    ]


@pytest.fixture
def participants(regional_day):
    """Who took part in the regional day: two let in (Kirov, Moscow), one left waiting,
    and an approved venue in Kirov; one venue still pending."""
    kirov = RegistrationFactory(
        event=regional_day,
        confirmed=True,
        region=region("43"),
        checked_in_at=regional_day.start,
        email="kirov@example.ru",
    )
    moscow = RegistrationFactory(
        event=regional_day,
        confirmed=True,
        region=region("77"),
        checked_in_at=regional_day.start,
        email="moscow@example.ru",
    )
    RegistrationFactory(event=regional_day, waiting=True, email="absent@example.ru")
    venue = VenueApplicationFactory(
        edition=regional_day.edition, email="venue@example.ru"
    )
    VenueApplicationFactory(edition=regional_day.edition, pending=True)
    return {"kirov": kirov, "moscow": moscow, "venue": venue}


@pytest.fixture
def send_invitations(django_capture_on_commit_callbacks):
    """The daily job as a worker runs it: the letters go as the invitations commit."""
    from surveys import services

    def send():
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_invitations()

    return send
