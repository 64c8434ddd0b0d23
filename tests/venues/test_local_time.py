"""A venue far from Moscow reads the regional day's time in its own zone too:
on its page and in its letters; and gets the code to show its region's programme."""

import datetime

import pytest

from events import changes
from qualityweek import links
from tests.factories import VenueApplicationFactory, region
from tests.pages import text_of
from venues import emails, services

pytestmark = pytest.mark.django_db

# The regional day: 10 November 2023, 10:00–18:00 Moscow time (tests/conftest.py).
NOVOSIBIRSK_TIME = "14:00–22:00 по местному времени (МСК+4)"


def page_path(application) -> str:
    return emails.page_url(application).removeprefix(links.absolute(""))


def test_the_approval_letter_to_a_novosibirsk_venue_shows_its_local_time(
    open_call, regional_day, mails
):
    application = VenueApplicationFactory(
        edition=open_call.edition, region=region("54"), pending=True
    )

    mails.after(lambda: services.approve(application))

    letter = mails[0]
    assert (
        "Пятница, 10 ноября 2023, 10:00–18:00, московское время\n" + NOVOSIBIRSK_TIME
    ) in letter.body
    assert NOVOSIBIRSK_TIME in letter.alternatives[0][0]


def test_the_approval_letter_to_a_kirov_venue_gives_moscow_time_only(
    open_call, regional_day, mails
):
    application = VenueApplicationFactory(edition=open_call.edition, pending=True)

    mails.after(lambda: services.approve(application))

    assert "10:00–18:00, московское время" in mails[0].body
    assert "по местному времени" not in mails[0].body


def test_the_approval_letter_gives_the_code_to_show_the_regions_programme(
    open_call, regional_day, mails, settings
):
    settings.QUALITYWEEK_SITE_URL = "https://week.example.ru"
    application = VenueApplicationFactory(
        edition=open_call.edition, region=region("54"), pending=True
    )

    mails.after(lambda: services.approve(application))

    snippet = (
        '<iframe src="https://week.example.ru/embed/regions/54/" '
        'title="Всемирная неделя качества: Новосибирская область" '
        'width="100%" height="600" loading="lazy"></iframe>'
    )
    assert snippet in mails[0].body
    html = mails[0].alternatives[0][0]
    assert "&lt;iframe src=&quot;https://week.example.ru/embed/regions/54/&quot;" in (
        html
    )


def test_the_english_letter_shows_local_time_in_english(open_call, regional_day, mails):
    application = VenueApplicationFactory(
        edition=open_call.edition, region=region("39"), language="en", pending=True
    )

    mails.after(lambda: services.approve(application))

    assert "09:00–17:00 local time (MSK−1)" in mails[0].body


def test_the_instructions_letter_shows_local_time(open_call, regional_day):
    application = VenueApplicationFactory(
        edition=open_call.edition, region=region("54")
    )

    letter = emails.build(application, emails.INSTRUCTIONS)

    assert NOVOSIBIRSK_TIME in letter.body


def test_the_letter_about_a_moved_regional_day_shows_the_new_local_time(
    open_call, regional_day
):
    application = VenueApplicationFactory(
        edition=open_call.edition, region=region("54")
    )
    before = changes.snapshot(regional_day)
    regional_day.start += datetime.timedelta(hours=1)
    regional_day.end += datetime.timedelta(hours=1)
    regional_day.save()

    letter = emails.build(
        application,
        emails.CHANGED,
        changes.Change(before=before, after=changes.snapshot(regional_day)),
    )

    assert "15:00–23:00 по местному времени (МСК+4)" in letter.body
    assert "15:00–23:00 по местному времени (МСК+4)" in letter.alternatives[0][0]


def test_the_venue_page_shows_the_regional_days_local_time(
    client, open_call, regional_day
):
    novosibirsk = VenueApplicationFactory(
        edition=open_call.edition, region=region("54")
    )
    kirov = VenueApplicationFactory(edition=open_call.edition)

    assert NOVOSIBIRSK_TIME in text_of(client.get(page_path(novosibirsk)))
    assert "по местному времени" not in text_of(client.get(page_path(kirov)))


def test_the_regional_days_venue_list_shows_each_far_regions_local_time(
    client, open_call, regional_day
):
    VenueApplicationFactory(
        edition=open_call.edition, region=region("54"), venue_name="Зал Сибири"
    )
    VenueApplicationFactory(
        edition=open_call.edition, region=region("43"), venue_name="Зал Вятки"
    )

    page = text_of(client.get("/regional-day/"))
    english = text_of(client.get("/en/regional-day/"))

    venues = page[page.index("Региональные площадки") :]
    assert f"Новосибирская область {NOVOSIBIRSK_TIME} Зал Сибири" in venues
    # Kirov keeps Moscow time: nothing to add.
    assert "Кировская область Зал Вятки" in venues
    assert venues.count("по местному времени") == 1
    assert "14:00–22:00 local time (MSK+4)" in english
