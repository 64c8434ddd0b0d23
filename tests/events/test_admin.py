import pytest
from django.contrib.auth.models import Group

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_organisers_group_can_run_the_programme_but_not_delete_editions():
    codenames = set(
        Group.objects.get(name="Organisers").permissions.values_list(
            "codename", flat=True
        )
    )

    assert {
        "add_event",
        "change_event",
        "delete_event",
        "change_venue",
        "add_speaker",
    } <= codenames
    assert "delete_edition" not in codenames
    assert "change_region" not in codenames
    assert not any(
        code.endswith("_user") or code.endswith("_group") for code in codenames
    )


def test_event_changelist_shows_day_time_kind_and_format(
    organiser_client, regional_day
):
    response = organiser_client.get("/admin/events/event/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "10:00–18:00" in html
    assert "Пт, 10 ноября" in html


@pytest.mark.parametrize(
    "path",
    [
        "/admin/events/event/add/",
        "/admin/events/venue/",
        "/admin/events/speaker/add/",
        "/admin/events/edition/",
        "/admin/events/organiser/",
        "/admin/events/region/",
    ],
)
def test_admin_pages_open_for_organisers(organiser_client, edition_2023, path):
    assert organiser_client.get(path).status_code == 200


def test_event_change_page_lists_sessions_inline(organiser_client, edition_2023):
    forum = EventFactory(edition=edition_2023, kind=Event.Kind.FORUM)
    EventFactory(edition=edition_2023, parent=forum, title="Сессия форума один")

    html = organiser_client.get(
        f"/admin/events/event/{forum.pk}/change/"
    ).content.decode()

    assert "Сессия форума один" in html


def test_publish_action_publishes_and_refreshes_the_schedule(
    organiser_client, client, edition_2023
):
    draft = EventFactory(edition=edition_2023, title="Скоро на сайте", unpublished=True)
    client.get("/schedule/")  # the empty programme is now cached

    organiser_client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    assert draft.is_published is True
    assert "Скоро на сайте" in client.get("/schedule/").content.decode()


def test_speaker_photo_upload_makes_a_square_thumbnail(
    organiser_client, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from events.models import Speaker

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), "navy").save(buffer, "PNG")
    photo = SimpleUploadedFile("face.png", buffer.getvalue(), content_type="image/png")

    organiser_client.post(
        "/admin/events/speaker/add/",
        {"name": "Анна Смирнова", "photo": photo},
    )

    speaker = Speaker.objects.get(name="Анна Смирнова")
    with Image.open(speaker.photo_thumbnail.path) as thumbnail:
        assert (thumbnail.size, thumbnail.format) == ((320, 320), "JPEG")


def test_event_admin_save_raises_calendar_sequence_when_time_changes(rf, regional_day):
    from django.contrib.admin.sites import site

    from events.admin import EventAdmin
    from tests.factories import moscow

    event = Event.objects.get(pk=regional_day.pk)
    event.start = moscow(2023, 11, 10, 9)

    EventAdmin(Event, site).save_model(rf.post("/"), event, None, True)

    assert Event.objects.values_list("sequence", flat=True).get(pk=event.pk) == 1


def test_unpublish_action_raises_calendar_sequence(organiser_client, regional_day):
    organiser_client.post(
        "/admin/events/event/",
        {"action": "unpublish", "_selected_action": [regional_day.pk]},
    )

    regional_day.refresh_from_db()
    assert (regional_day.is_published, regional_day.sequence) == (False, 1)
