"""A region's results (its page, the PDF and XLSX report) and the letter a
ministry sends its businesses."""

import io

import pypdf
import pytest
import qrcode
from PIL import Image

from activations.models import Activation
from registrations.models import Registration
from surveys import services as surveys
from surveys.models import SurveyInvitation, SurveyQuestion
from tests.factories import (
    ActivationFactory,
    EventFactory,
    RegistrationFactory,
    VenueApplicationFactory,
    region,
)
from tests.pages import text_of
from tests.spreadsheets import sheet_of, values_of
from venues.models import VenueApplication

SITE = "https://qualityweek.example.ru"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


@pytest.fixture
def kirov_week(clock, regional_day):
    """What the Kirov region did in 2023, with rows of other regions and refused
    or pending ones beside it that must not count."""
    edition = regional_day.edition
    kirov, moscow = region("43"), region("77")
    EventFactory(edition=edition, region=kirov, venue=None, slug="kirov-forum")
    ActivationFactory.create_batch(2, edition=edition, region=kirov)
    ActivationFactory(edition=edition, region=kirov, kind=Activation.Kind.EXCURSION)
    ActivationFactory(edition=edition, region=kirov, pending=True)
    ActivationFactory(edition=edition, region=moscow)
    VenueApplicationFactory.create_batch(2, edition=edition, region=kirov, audience=40)
    VenueApplicationFactory(edition=edition, region=kirov, pending=True)
    let_in = RegistrationFactory(
        event=regional_day,
        confirmed=True,
        region=kirov,
        checked_in_at=regional_day.start,
    )
    RegistrationFactory(event=regional_day, confirmed=True, region=kirov)
    RegistrationFactory(event=regional_day, waiting=True, region=kirov)
    question = SurveyQuestion.objects.create(edition=edition, text="Насколько полезно?")
    for score, respondent in ((5, let_in.pk), (3, 999)):
        invitation = SurveyInvitation.objects.create(
            event=regional_day,
            source="registrations",
            respondent_pk=respondent,
            region=kirov,
        )
        surveys.answer(invitation, {question: score})
    return kirov


def expected_figures(kirov, edition) -> list[list]:
    """The region's figures as the database counts them."""
    activations = Activation.objects.approved().filter(edition=edition, region=kirov)
    venues = VenueApplication.objects.approved().filter(edition=edition, region=kirov)
    people = Registration.objects.filter(event__edition=edition, region=kirov)
    return [
        ["Программа", "События программы", 1],
        ["Программа", "Регион присоединился ко Дню качества", "нет"],
        [
            "Участники из региона",
            "Зарегистрировались, место подтверждено",
            people.filter(status="confirmed").count(),
        ],
        [
            "Участники из региона",
            "Прошли регистрацию на входе",
            people.filter(checked_in_at__isnull=False).count(),
        ],
        ["Активации компаний", "Активации, все виды", activations.count()],
        [
            "Активации компаний",
            "День открытых дверей",
            activations.filter(kind="open_day").count(),
        ],
        [
            "Активации компаний",
            "Экскурсия на производство",
            activations.filter(kind="excursion").count(),
        ],
        ["Региональные площадки", "Площадки регионального дня", venues.count()],
        ["Региональные площадки", "Ожидаемая аудитория площадок", 80],
        ["Анкета после мероприятий", "Ответов на анкету", 2],
        [
            "Анкета после мероприятий",
            "Насколько полезно? (среднее из 2 ответов, 1–5)",
            4.0,
        ],
    ]


# PostgreSQL's AVG is a numeric (Decimal): the sheet still holds plain numbers.
@pytest.mark.postgres
def test_region_results_xlsx_matches_the_database(client, kirov_week, regional_day):
    response = client.get("/regions/43/results.xlsx")

    rows = values_of(sheet_of(response))
    assert rows[0] == ["Раздел", "Показатель", "Значение"]
    assert rows[1:] == expected_figures(kirov_week, regional_day.edition)
    assert [row[2] for row in rows[3:8]] == [2, 1, 3, 2, 1]
    assert "region-43-results.xlsx" in response["Content-Disposition"]


def test_region_results_pdf_reads_the_same_figures(client, kirov_week, regional_day):
    response = client.get("/regions/43/results.pdf")

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert response["Content-Type"] == "application/pdf"
    assert "Кировская область: итоги недели" in text
    for _section, label, value in expected_figures(kirov_week, regional_day.edition):
        shown = f"{value:.1f}".replace(".", ",") if isinstance(value, float) else value
        assert f"{label} {shown}" in text


def test_region_page_shows_the_results_and_their_downloads(
    client, kirov_week, regional_day
):
    response = client.get("/regions/43/")

    text = text_of(response)
    assert "Итоги региона" in text
    assert "Активации, все виды 3" in text
    assert "Прошли регистрацию на входе 1" in text
    html = response.content.decode()
    assert 'href="/regions/43/results.pdf"' in html
    assert 'href="/regions/43/results.xlsx"' in html
    assert 'href="/regions/43/invitation.pdf"' in html


def test_region_results_of_a_region_without_anything_are_zeros(
    client, clock, regional_day
):
    response = client.get("/regions/01/results.xlsx")

    rows = values_of(sheet_of(response))
    assert rows[1:4] == [
        ["Программа", "События программы", 0],
        ["Программа", "Регион присоединился ко Дню качества", "нет"],
        ["Участники из региона", "Зарегистрировались, место подтверждено", 0],
    ]


def modules_of(image: Image.Image) -> list[list[bool]]:
    """The modules of a QR image of 8 px a module, border 4."""
    image = image.convert("L")
    count = image.width // 8 - 8
    return [
        [image.getpixel((8 * (4 + x) + 4, 8 * (4 + y) + 4)) < 128 for x in range(count)]
        for y in range(count)
    ]


def test_invitation_letter_invites_the_regions_businesses_with_a_qr_code(
    client, clock, regional_day
):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(f"{SITE}/regions/43/")
    code.make(fit=True)

    response = client.get("/regions/43/invitation.pdf")

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    [page] = reader.pages
    text = " ".join(page.extract_text().split())
    assert "Кировская область" in text
    assert "Уважаемые руководители!" in text
    assert f"{SITE}/regions/43/" in text
    [image] = page.images
    assert modules_of(image.image) == code.get_matrix()


def test_region_results_of_an_unknown_region_is_not_found(client, regional_day):
    response = client.get("/regions/00/results.pdf")

    assert response.status_code == 404
