import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from activations.models import Activation
from qualityweek import personal_data
from registrations.models import Registration
from tests.activations.conftest import jpeg_bytes
from tests.factories import (
    ActivationFactory,
    RegistrationFactory,
    VenueApplicationFactory,
)
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(regional_day, edition_2023, settings, tmp_path):
    """Мария has a registration, an activation and a venue's application (as its
    technical contact); Олег only a registration."""
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")
    activation = ActivationFactory(edition=edition_2023, email="Maria@Example.ru")
    activation.image.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    other = RegistrationFactory(event=regional_day, email="oleg@example.ru")
    VenueApplicationFactory(edition=edition_2023, tech_email="maria@example.ru")
    return registration, activation, other, tmp_path / activation.image.name


def test_every_app_that_stores_people_is_declared():
    assert [holder.label for holder in personal_data.holders()] == [
        "registrations",
        "activations",
        "venue_applications",
        "winners",
    ]


def test_export_person_gives_their_data_from_every_app(person):
    data = personal_data.export_person("maria@example.ru")

    assert [r["surname"] for r in data["registrations"]] == ["Иванова"]
    assert [a["contact_name"] for a in data["activations"]] == ["Анна Петрова"]
    assert data["activations"][0]["consent_purpose"] == "activation"
    [venue] = data["venue_applications"]
    assert (venue["tech_email"], venue["tech_name"]) == (
        "maria@example.ru",
        "Иван Кузнецов",
    )
    assert venue["consent_purpose"] == "venue_application"


def test_erase_person_command_erases_registration_activation_and_image(
    person, clock, django_capture_on_commit_callbacks
):
    registration, activation, other, image = person
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "erase_person", "--email", "maria@example.ru", "--no-input", stdout=out
        )

    registration.refresh_from_db()
    activation.refresh_from_db()
    other.refresh_from_db()
    assert out.getvalue() == (
        "Personal data erased: registrations: 1, activations: 1, "
        "venue_applications: 1, winners: 0.\n"
    )
    assert (registration.email, activation.email, activation.phone) == ("", "", "")
    assert (activation.image.name, image.exists()) == ("", False)
    assert other.email == "oleg@example.ru"
    left = personal_data.export_person("maria@example.ru")
    assert (left["registrations"], left["activations"]) == ([], [])
    assert left["venue_applications"] == []
    venue = VenueApplication.objects.get()
    assert (venue.email, venue.tech_email, venue.tech_name, venue.note) == ("",) * 4
    assert VenueApplication.objects.approved().count() == 0


def test_purge_erases_activations_of_a_week_that_ended(edition_2023, clock):
    clock("2023-12-20T12:00+03:00")
    old = ActivationFactory(edition=edition_2023)
    venue = VenueApplicationFactory(edition=edition_2023)
    out = io.StringIO()

    call_command("purge_personal_data", "--days", "30", stdout=out)

    old.refresh_from_db()
    venue.refresh_from_db()
    assert out.getvalue() == (
        "Personal data erased: registrations: 0, activations: 1, "
        "venue_applications: 1, winners: 0.\n"
    )
    assert (venue.email, venue.phone) == ("", "")
    assert old.email == ""
    assert Registration.objects.count() == 0
    assert Activation.objects.approved().count() == 0


def test_erasure_leaves_the_address_and_phone_in_no_table_sessions_included(
    client, regional_day, edition_2023, clock, django_capture_on_commit_callbacks
):
    """Мария signs up for the regional day, enters an activation and applies for
    a venue through the public forms (letters, tasks, sessions, logs of sent
    letters and all); once erased, no row of any table names her address or
    phone, in any spelling the forms accept."""
    from tests.activations.conftest import FORM as ACTIVATION
    from tests.factories import ConsentTextFactory, VenueCallFactory
    from tests.registrations.test_views import FORM as REGISTRATION
    from tests.venues.conftest import FORM as VENUE

    ConsentTextFactory(purpose="activation", version="A1", text="Согласие.")
    ConsentTextFactory(purpose="venue_application", version="V1", text="Согласие.")
    VenueCallFactory(edition=edition_2023)
    email, phone = "maria.ivanova@example.ru", "8 (916) 555-44-33"
    with django_capture_on_commit_callbacks(execute=True):
        sent = [
            client.post(
                "/regional-day/", {**REGISTRATION, "email": email, "phone": phone}
            ),
            client.post(
                "/activations/new/", {**ACTIVATION, "email": email, "phone": phone}
            ),
            client.post(
                "/regional-venues/new/",
                {**VENUE, "email": f" {email.upper()} ", "phone": phone},
            ),
        ]
    assert [response.status_code for response in sent] == [302, 302, 302]

    spellings = [email, "9165554433", "916) 555-44-33", "555-44-33"]
    assert {
        "registrations_registration",
        "activations_activation",
        "venues_venueapplication",
    } <= tables_naming(spellings)

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "erase_person", "--email", email, "--no-input", stdout=io.StringIO()
        )

    assert tables_naming(spellings) == set()


def tables_naming(spellings: list[str]) -> set[str]:
    """The tables with a row that holds one of these texts, in any case."""
    from django.db import connection

    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).lower()
                if any(spelling.lower() in text for spelling in spellings):
                    found.add(table)
    return found
