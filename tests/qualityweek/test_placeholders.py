"""A site does not go live with the demo programme or the shipped placeholders:
`check --deploy --database default` names each, organisers fix them in admin."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from events.models import Event
from qualityweek import checks
from qualityweek.models import Placeholder
from tests.admin_forms import FormValues
from tests.pages import text_of
from venues.models import VenueCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(clock):
    call_command("loaddata", "quality_week_2023", verbosity=0)


def deploy_check() -> str:
    """What `check --deploy --database default` says; "" when it passes."""
    try:
        call_command("check", "--deploy", "--database", "default", verbosity=0)
    except SystemCheckError as error:
        return str(error)
    return ""


def admin_form(client, url: str) -> dict:
    """What a browser posts back from an admin change form, unchanged."""
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    return parser.data


def test_deploy_check_with_the_shipped_data_fails_naming_each_item(shipped):
    output = deploy_check()

    assert output.count("qualityweek.E002") == 7 + 5
    for event in Event.objects.filter(is_demo=True):
        assert f"Демо-событие «{event.title}» опубликовано" in output
        assert f"админке: /admin/events/event/{event.pk}/change/" in output
    day = "Событие «Региональный день форума «Всемирный день качества»»"
    call = "Приём заявок региональных площадок «Всемирная неделя качества — 2023»"
    for item in [
        f"{day}: места — всё ещё заглушка из поставки: 150",
        f"{day}: регистрация открывается — всё ещё заглушка из поставки: "
        "16 октября 2023 г. 10:00",
        f"{day}: регистрация закрывается — всё ещё заглушка из поставки: "
        "9 ноября 2023 г. 18:00",
        f"{call}: приём заявок открывается — всё ещё заглушка из поставки: "
        "2 октября 2023 г. 10:00",
        f"{call}: приём заявок закрывается — всё ещё заглушка из поставки: "
        "8 ноября 2023 г. 18:00",
    ]:
        assert item in output


def test_deploy_check_passes_once_organisers_replace_demo_and_placeholders(
    shipped, organiser_client
):
    demo = list(Event.objects.filter(is_demo=True).values_list("pk", flat=True))
    organiser_client.post(
        "/admin/events/event/",
        {"action": "unpublish", "_selected_action": demo},
    )
    regional_day = Event.objects.get(slug="regional-day-2023")
    url = f"/admin/events/event/{regional_day.pk}/change/"
    data = admin_form(organiser_client, url)
    data.update(
        {
            "seats": "120",
            "registration_opens_0": "20.10.2023",
            "registration_opens_1": "12:00:00",
            "registration_closes_0": "08.11.2023",
            "registration_closes_1": "20:00:00",
        }
    )
    assert organiser_client.post(url, data).status_code == 302
    call = VenueCall.objects.get()
    url = f"/admin/venues/venuecall/{call.pk}/change/"
    data = admin_form(organiser_client, url)
    data.update(
        {
            "opens_at_0": "05.10.2023",
            "opens_at_1": "10:00:00",
            "closes_at_0": "07.11.2023",
            "closes_at_1": "18:00:00",
        }
    )
    assert organiser_client.post(url, data).status_code == 302

    assert deploy_check() == ""


def test_a_shipped_value_organisers_find_right_is_confirmed_on_the_admin_page(
    shipped, organiser_client
):
    page = organiser_client.get("/admin/qualityweek/placeholder/")
    seats = Placeholder.objects.get(field="seats")

    assert (
        "Событие «Региональный день форума «Всемирный день качества»»: "
        "места — всё ещё заглушка из поставки: 150"
    ) in text_of(page)
    response = organiser_client.post(
        "/admin/qualityweek/placeholder/", {"placeholder": str(seats.pk)}
    )

    assert response.url == "/admin/qualityweek/placeholder/"
    assert not Placeholder.objects.filter(pk=seats.pk).exists()
    assert "места — всё ещё заглушка" not in deploy_check()


def test_admin_page_lists_demo_and_placeholders_with_links_to_fix_them(
    shipped, organiser_client
):
    response = organiser_client.get("/admin/qualityweek/placeholder/")

    html = response.content.decode()
    page = text_of(response)
    demo = Event.objects.filter(is_demo=True).order_by("start", "pk").first()
    assert f"Демо-событие «{demo.title}» опубликовано" in page
    assert f'<a href="/admin/events/event/{demo.pk}/change/">' in html
    call = VenueCall.objects.get()
    assert f'<a href="/admin/venues/venuecall/{call.pk}/change/">' in html
    assert page.count("Указать настоящее значение") == 5
    assert page.count("Снять с публикации или заменить") == 7


def test_admin_page_with_nothing_left_says_so(organiser_client, edition_2023):
    page = text_of(organiser_client.get("/admin/qualityweek/placeholder/"))

    assert "На сайте больше нет демо-содержимого и заглушек." in page


def test_a_confirmation_with_a_bad_value_changes_nothing(shipped, organiser_client):
    response = organiser_client.post(
        "/admin/qualityweek/placeholder/", {"placeholder": "seats'--"}
    )

    assert response.url == "/admin/qualityweek/placeholder/"
    assert Placeholder.objects.count() == 5


def test_deploy_check_without_a_database_says_nothing():
    assert checks.check_demo_content(databases=None) == []


def test_deploy_check_on_an_unmigrated_database_says_so_once(shipped):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE qualityweek_placeholder")

    [error] = checks.check_demo_content(databases=["default"])

    assert (error.id, error.msg) == (
        "qualityweek.E003",
        "Не удалось прочитать базу данных, чтобы найти демо-содержимое и "
        "заглушки из поставки (OperationalError).",
    )
