import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from activations import emails as activation_emails
from events import certificates
from events.models import Certificate
from events.tasks import issue_certificates
from qualityweek import personal_data
from tests.documents import pdf_qr_codes, pdf_text
from tests.factories import (
    ActivationFactory,
    RegistrationFactory,
    VenueApplicationFactory,
    moscow,
)
from venues import emails as venue_emails

SITE = "https://quality-week.example.ru"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


@pytest.fixture
def after_the_event(clock):
    clock("2023-11-10T10:00+03:00")  # the event was on 9 November, 10:00–12:00


@pytest.fixture
def checked_in():
    return RegistrationFactory(
        surname="Иванова",
        name="Мария",
        patronymic="Петровна",
        confirmed=True,
        checked_in_at=moscow(2023, 11, 9, 9, 50),
        event__title="Региональный день качества",
        event__seats=10,
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job or a service as the queue would: its tasks as it commits."""

    def run_committed(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run_committed


def issue(source: str):
    issue_certificates.call(source=source)


def issued(source: str) -> Certificate:
    return Certificate.objects.get(source=source)


def test_checked_in_participant_gets_a_certificate_letter_once(
    run, after_the_event, checked_in, mailoutbox
):
    RegistrationFactory(event=checked_in.event, confirmed=True)  # did not come

    run(issue, "registrations")
    run(issue, "registrations")  # the job runs again

    certificate = issued("registrations")
    assert certificate.kind == Certificate.Kind.ATTENDANCE
    assert certificate.holder == "Иванова Мария Петровна"
    assert certificate.subject == "Региональный день качества"
    assert [message.to for message in mailoutbox] == [[checked_in.email]]
    assert mailoutbox[0].subject == "Ваш сертификат: Региональный день качества"
    [(filename, content, mimetype)] = mailoutbox[0].attachments
    assert (filename, mimetype) == (
        f"certificate-{certificate.code}.pdf",
        "application/pdf",
    )
    assert "Иванова Мария Петровна" in pdf_text(content)


def test_no_certificate_before_the_event_ends(run, clock, checked_in, mailoutbox):
    clock("2023-11-09T11:00+03:00")

    run(issue, "registrations")

    assert Certificate.objects.count() == 0
    assert mailoutbox == []


def test_certificate_pdf_names_the_holder_and_its_qr_code_verifies_it(
    run, after_the_event, checked_in
):
    run(issue, "registrations")
    certificate = issued("registrations")

    content = certificates.certificate_pdf(certificate)

    text = pdf_text(content)
    for expected in (
        "СЕРТИФИКАТ УЧАСТНИКА",
        "Иванова Мария Петровна",
        "«Региональный день качества»",
        "Россия — страна со Знаком качества",
        "6–12 ноября 2023",
        "Выдан 10 ноября 2023",
        certificate.code,
    ):
        assert expected in text
    assert pdf_qr_codes(content) == [f"{SITE}/certificates/{certificate.code}/"]


def test_verification_page_confirms_a_certificate_with_initials_only(
    run, client, after_the_event, checked_in
):
    run(issue, "registrations")
    certificate = issued("registrations")

    response = client.get(f"/certificates/{certificate.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Сертификат подлинный" in html
    assert "И. М. П." in html
    assert "Иванова" not in html
    assert "Региональный день качества" in html
    assert "10 ноября 2023" in html


def test_verification_page_refuses_a_forged_code(
    run, client, after_the_event, checked_in
):
    run(issue, "registrations")

    response = client.get("/certificates/forged-code-0000000000/")

    assert response.status_code == 404
    assert "Такого сертификата нет" in response.content.decode()


def test_reissued_certificate_gets_a_new_code_and_the_old_says_replaced(
    run, client, after_the_event, checked_in, mailoutbox
):
    run(issue, "registrations")
    old = issued("registrations")
    checked_in.surname = "Петрова"
    checked_in.save()

    new = run(certificates.reissue, old)
    again = run(certificates.reissue, old)  # a second click

    old.refresh_from_db()
    assert again == new
    assert new.code != old.code
    assert new.holder == "Петрова Мария Петровна"
    assert old.replaced_by == new
    assert "Заменён более новым сертификатом" in (
        client.get(f"/certificates/{old.code}/").content.decode()
    )
    assert "Сертификат подлинный" in (
        client.get(f"/certificates/{new.code}/").content.decode()
    )
    assert len(mailoutbox) == 2


def test_organisers_reissue_from_admin(
    run, organiser_client, after_the_event, checked_in, mailoutbox
):
    run(issue, "registrations")
    old = issued("registrations")

    response = run(
        organiser_client.post,
        reverse("admin:events_certificate_changelist"),
        {"action": "reissue", ACTION_CHECKBOX_NAME: [old.pk]},
        follow=True,
    )

    assert "1 сертификат выдан заново." in response.content.decode()
    assert Certificate.objects.current().get().code != old.code
    assert len(mailoutbox) == 2


def test_erasure_blanks_the_name_on_the_certificate(
    run, client, after_the_event, checked_in
):
    run(issue, "registrations")
    certificate = issued("registrations")

    personal_data.erase_person(checked_in.email)

    certificate.refresh_from_db()
    assert certificate.holder == ""
    assert certificate.erased_at is not None
    html = client.get(f"/certificates/{certificate.code}/").content.decode()
    assert "И. М. П." not in html
    assert "Сертификат подлинный" in html


def test_ticket_page_offers_the_certificate_once_issued(
    run, client, after_the_event, checked_in
):
    page = reverse("registrations:detail", args=[checked_in.token])
    before = client.get(page).content.decode()
    run(issue, "registrations")
    certificate = issued("registrations")

    after = client.get(page).content.decode()

    assert "Скачать сертификат (PDF)" not in before
    assert "Скачать сертификат (PDF)" in after
    download = certificates.download_url(certificate)
    assert f'href="{download}"' in after
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert "Иванова Мария Петровна" in pdf_text(response.content)


def test_download_link_with_a_forged_signature_is_not_found(
    run, client, after_the_event, checked_in
):
    run(issue, "registrations")
    certificate = issued("registrations")

    response = client.get(f"/certificates/pdf/{certificate.code}:forged/")

    assert response.status_code == 404


def test_approved_venue_gets_a_certificate_after_the_week(run, clock, mailoutbox):
    venue = VenueApplicationFactory(
        organising_body="Министерство промышленности Кировской области",
        venue_name="Конференц-зал «Вятка»",
    )
    VenueApplicationFactory(pending=True)
    clock("2023-11-12T20:00+03:00")
    run(issue, "venues")
    assert Certificate.objects.count() == 0

    clock("2023-11-13T10:00+03:00")
    run(issue, "venues")

    certificate = issued("venues")
    assert certificate.kind == Certificate.Kind.PARTICIPATION
    assert [message.to for message in mailoutbox] == [[venue.email]]
    text = pdf_text(mailoutbox[0].attachments[0][1])
    assert "Министерство промышленности Кировской области" in text
    assert "Конференц-зал «Вятка», Киров" in text


def test_approved_activations_company_gets_a_certificate(
    run, client, clock, mailoutbox
):
    activation = ActivationFactory(
        company_name="АО «Вятский хлеб»", title="Открытая лаборатория"
    )
    ActivationFactory(rejected=True)
    clock("2023-11-10T10:00+03:00")

    run(issue, "activations")

    certificate = issued("activations")
    text = pdf_text(mailoutbox[0].attachments[0][1])
    assert "АО «Вятский хлеб»" in text
    assert "«Открытая лаборатория»" in text
    # A company's name is public: the verification page shows it whole.
    html = client.get(f"/certificates/{certificate.code}/").content.decode()
    assert "АО «Вятский хлеб»" in html
    assert activation.pk == certificate.object_pk


def test_english_participant_gets_an_english_certificate(
    run, after_the_event, mailoutbox
):
    RegistrationFactory(
        surname="Smith",
        name="Anna",
        patronymic="",
        language="en",
        confirmed=True,
        checked_in_at=moscow(2023, 11, 9, 9, 50),
        event__title_en="Regional Quality Day",
        event__seats=10,
    )

    run(issue, "registrations")

    text = pdf_text(mailoutbox[0].attachments[0][1])
    assert "CERTIFICATE OF ATTENDANCE" in text
    assert "Anna Smith" in text
    assert "Regional Quality Day" in text
    assert mailoutbox[0].subject == "Your certificate: Regional Quality Day"


def test_venue_page_offers_its_certificate(run, client, clock):
    venue = VenueApplicationFactory()
    clock("2023-11-13T10:00+03:00")
    run(issue, "venues")
    page = venue_emails.page_url(venue).removeprefix(SITE)

    html = client.get(page).content.decode()

    certificate = issued("venues")
    assert f'href="{certificates.download_url(certificate)}"' in html


def test_activation_edit_page_offers_its_certificate(run, client, clock):
    activation = ActivationFactory()
    clock("2023-11-10T10:00+03:00")
    run(issue, "activations")
    page = activation_emails.edit_url(activation).removeprefix(SITE)

    html = client.get(page).content.decode()

    certificate = issued("activations")
    assert f'href="{certificates.download_url(certificate)}"' in html
    assert "Материалы для вашей активации" in html


def test_initials_keep_only_the_first_letters():
    assert certificates.initials("Иванов Иван Иванович") == "И. И. И."
    assert certificates.initials("  anna  smith ") == "A. S."
    assert certificates.initials("") == ""


@pytest.mark.parametrize("source", ["activations", "venues"])
def test_erasing_a_company_contact_blanks_its_certificate(run, clock, source):
    row = (ActivationFactory if source == "activations" else VenueApplicationFactory)()
    clock("2023-11-13T10:00+03:00")
    run(issue, source)

    personal_data.erase_person(row.email)

    certificate = issued(source)
    assert (certificate.holder, certificate.erased_at is not None) == ("", True)
    assert certificates.offer(source, row.pk) is None


def test_export_of_a_person_lists_their_certificate_and_nothing_after_erasure(
    run, after_the_event, checked_in
):
    run(issue, "registrations")
    certificate = issued("registrations")

    before = personal_data.export_person(checked_in.email)
    personal_data.erase_person(checked_in.email)
    after = personal_data.export_person(checked_in.email)

    [registration] = before["registrations"]
    [exported] = registration["certificates"]
    # The site's clock runs on from the moment the test set.
    assert exported.pop("issued_at").startswith("2023-11-10T10:00:00")
    assert [exported] == [
        {
            "code": certificate.code,
            "kind": "attendance",
            "holder": "Иванова Мария Петровна",
            "issued_for": "Региональный день качества",
            "edition": 2023,
            "replaced_at": None,
            "verification_url": f"{SITE}/certificates/{certificate.code}/",
        }
    ]
    assert after["registrations"] == []
    assert certificates.personal_records("registrations", checked_in.pk) == []


@pytest.mark.parametrize("source", ["activations", "venues"])
def test_export_of_a_company_contact_lists_their_certificate(run, clock, source):
    factory = ActivationFactory if source == "activations" else VenueApplicationFactory
    row = factory()
    clock("2023-11-13T10:00+03:00")
    run(issue, source)

    data = personal_data.export_person(row.email)

    label = "activations" if source == "activations" else "venue_applications"
    [record] = data[label]
    assert [c["code"] for c in record["certificates"]] == [issued(source).code]
    assert record["certificates"][0]["kind"] == "participation"
