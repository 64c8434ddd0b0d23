"""Organisers write to approved venues, from the venue applications' list."""

import pytest

from qualityweek.models import Message, MessageRecipient
from tests.factories import VenueApplicationFactory, moscow
from tests.pages import text_of

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/venues/venueapplication/"
TEXTS = {
    "subject": "Репетиция подключения 9 ноября",
    "body": "Репетиция 9 ноября в 15:00 по московскому времени.",
    "subject_en": "Connection rehearsal on 9 November",
    "body_en": "The rehearsal is on 9 November, 15:00 Moscow time.",
}


@pytest.fixture
def applications(open_call):
    edition = open_call.edition
    return [
        VenueApplicationFactory(edition=edition, email="ru@example.ru"),
        VenueApplicationFactory(
            edition=edition, email="en@example.com", language="en", tech_email=""
        ),
        VenueApplicationFactory(edition=edition, pending=True),
        VenueApplicationFactory(edition=edition, rejected=True),
        VenueApplicationFactory(edition=edition, status="withdrawn"),
        VenueApplicationFactory(edition=edition, erased_at=moscow(2023, 10, 30)),
    ]


def write(client, applications, step="", **fields):
    return client.post(
        CHANGELIST,
        {
            "action": "write_to_venues",
            "_selected_action": [a.pk for a in applications],
            **({"step": step} if step else {}),
            **fields,
        },
    )


def test_preview_counts_only_the_approved_venues(organiser_client, applications):
    response = write(
        organiser_client, applications, "preview", group="approved", key="v", **TEXTS
    )

    text = text_of(response)
    assert "Письмо получат 2 человека: 1 на русском, 1 на английском." in text
    assert "Репетиция 9 ноября в 15:00 по московскому времени." in text
    assert "The rehearsal is on 9 November, 15:00 Moscow time." in text


def test_confirming_writes_approved_venues_with_the_technical_contact_in_copy(
    organiser_client, applications, mails
):
    response = mails.after(
        lambda: write(
            organiser_client,
            applications,
            "send",
            group="approved",
            key="v" * 32,
            **TEXTS,
        )
    )

    assert response.status_code == 302
    by_address = {mail.to[0]: mail for mail in mails}
    assert sorted(by_address) == ["en@example.com", "ru@example.ru"]
    assert by_address["ru@example.ru"].subject == "Репетиция подключения 9 ноября"
    assert by_address["ru@example.ru"].cc == [applications[0].tech_email]
    assert by_address["en@example.com"].subject == (
        "Connection rehearsal on 9 November"
    )
    assert by_address["en@example.com"].cc == []
    assert sorted(
        MessageRecipient.objects.values_list("object_id", "language", "state")
    ) == sorted(
        [(applications[0].pk, "ru", "sent"), (applications[1].pk, "en", "sent")]
    )
    assert Message.objects.get().audience == "venues"
