"""A regional venue applies in Chromium; an organiser approves it; it shows."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from venues.models import VenueApplication

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def shipped_week(clock, settings, live_server):
    settings.QUALITYWEEK_SITE_URL = live_server.url
    # Playwright fills a form faster than any person; the stamp still round-trips.
    settings.QUALITYWEEK_FORM_MIN_SECONDS = 0
    call_command("loaddata", "quality_week_2023", verbosity=0)


def test_a_venue_applies_an_organiser_approves_and_it_shows(
    page, live_server, shipped_week, mailoutbox
):
    page.goto(live_server.url + "/regional-day/")
    assert "Пока ни одна региональная площадка не одобрена." in page.content()
    page.get_by_role("link", name="Подать заявку площадки").click()
    page.wait_for_url(re.compile(r"/regional-venues/new/$"))
    assert "Заявки принимаются до 8 ноября 2023, 18:00" in page.inner_text("main")

    page.get_by_label("Регион*", exact=True).select_option(label="Кировская область")
    page.get_by_label("Город или населённый пункт*", exact=True).fill("Киров")
    page.get_by_label("Площадка*", exact=True).fill("Актовый зал министерства")
    page.get_by_label("Адрес*", exact=True).fill("Киров, ул. Карла Либкнехта, 69")
    page.get_by_label("Организатор площадки*", exact=True).fill(
        "Министерство промышленности Кировской области"
    )
    page.get_by_label("Ожидаемая аудитория*", exact=True).fill("60")
    page.get_by_label("Контактное лицо*", exact=True).fill("Ольга Смирнова")
    page.get_by_label("Электронная почта*", exact=True).fill("olga@example.ru")
    page.get_by_label("Телефон*", exact=True).fill("+7 916 123-45-67")
    page.get_by_label("Технический специалист*", exact=True).fill("Иван Кузнецов")
    page.get_by_label("Телефон технического специалиста*", exact=True).fill(
        "+7 916 765-43-21"
    )
    page.get_by_role("checkbox", name=re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Отправить заявку").click()

    page.wait_for_url(re.compile(r"/regional-venues/sent/(#venue-form)?$"))
    assert page.locator("h1").inner_text() == "Заявка отправлена"
    application = VenueApplication.objects.get()
    assert application.status == "pending"
    assert [m.to for m in mailoutbox] == [["olga@example.ru"]]
    venue_page = re.search(r"http://\S+/regional-venues/\S+/", mailoutbox[0].body)[0]

    organiser = User.objects.create_user(
        "organiser", password="quality-week-2023-door", is_staff=True
    )
    organiser.groups.add(Group.objects.get(name="Organisers"))
    page.goto(live_server.url + "/admin/venues/venueapplication/")
    page.get_by_label("Имя пользователя").fill("organiser")
    page.get_by_label("Пароль").fill("quality-week-2023-door")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/admin/venues/venueapplication/$"))
    page.locator(f'input[name="_selected_action"][value="{application.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.get_by_role("button", name="Выполнить").click()
    page.wait_for_selector(".messagelist")
    page.context.clear_cookies()

    assert len(mailoutbox) == 2
    page.goto(venue_page)
    assert "Площадка одобрена" in page.inner_text("main")

    page.goto(live_server.url + "/regional-day/")
    venues = page.locator("#venues").inner_text()
    assert "1 регион и 1 площадка подключаются к региональному дню онлайн." in venues
    assert "Приволжский федеральный округ" in venues
    assert "Актовый зал министерства" in venues
    assert "olga@example.ru" not in page.content()

    page.get_by_role("link", name="Кировская область").click()
    page.wait_for_url(re.compile(r"/regions/43/$"))
    assert "Актовый зал министерства" in page.inner_text("main")
    assert page.outside_requests == []
