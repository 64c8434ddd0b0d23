import pytest
from django.contrib.auth.models import Group

from qualityweek.models import ConsentText
from tests.factories import ConsentTextFactory, RegistrationFactory

CHANGELIST = "/admin/qualityweek/consenttext/"
pytestmark = pytest.mark.django_db


def test_organisers_publish_consent_texts_and_name_the_operator_never_deleting():
    codenames = set(
        Group.objects.get(name="Organisers")
        .permissions.filter(content_type__app_label="qualityweek")
        .values_list("codename", flat=True)
    )

    assert codenames == {
        "add_consenttext",
        "change_consenttext",
        "view_consenttext",
        "add_dataoperator",
        "change_dataoperator",
        "view_dataoperator",
        "send_message",
        "view_message",
        "view_placeholder",
        "delete_placeholder",
    }


def test_consent_text_people_agreed_to_is_read_only(organiser_client, regional_day):
    consent = ConsentTextFactory(version="2023-10")
    RegistrationFactory(event=regional_day, consent_text=consent)
    unused = ConsentTextFactory(version="2023-11")

    used_page = organiser_client.get(f"{CHANGELIST}{consent.pk}/change/")
    unused_page = organiser_client.get(f"{CHANGELIST}{unused.pk}/change/")

    assert 'name="text"' not in used_page.content.decode()
    assert 'name="text"' in unused_page.content.decode()


def test_consent_text_can_be_added_by_organisers_for_a_purpose(organiser_client):
    organiser_client.post(
        f"{CHANGELIST}add/",
        {
            "purpose": "activation",
            "version": "2024-01",
            "text": "Согласие",
            "text_en": "Consent",
        },
    )

    assert list(ConsentText.objects.values_list("purpose", "version")) == [
        ("activation", "2024-01")
    ]


def test_consent_text_versions_repeat_across_purposes_not_within_one(db):
    ConsentTextFactory(purpose="registration", version="2024-01")
    ConsentTextFactory(purpose="activation", version="2024-01")

    assert ConsentText.objects.count() == 2


def test_consent_text_in_force_is_the_newest_of_its_purpose(db):
    older = ConsentTextFactory(purpose="activation", version="1")
    newer = ConsentTextFactory(purpose="activation", version="2")
    ConsentTextFactory(purpose="registration", version="3")

    assert ConsentText.objects.in_force("activation") == newer
    assert older != newer
