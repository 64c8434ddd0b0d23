"""A visitor's own week: marks from the programme's buttons, under a private link."""

import icalendar
import pytest
from django.core import mail

from events import ics
from myweek import services, views
from myweek.models import Selection, SelectionItem
from tests.factories import ActivationFactory, EventFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def mark(client, item, source="events", **headers):
    return client.post(
        "/my/add/",
        {"source": source, "pk": item.pk},
        headers={"Origin": SITE, **headers},
    )


@pytest.fixture
def week(clock, edition_2023):
    return EventFactory.create_batch(3, edition=edition_2023)


def test_add_without_a_week_makes_one_and_goes_back_to_the_page(client, week):
    response = mark(client, week[0], Referer=SITE + "/schedule/?day=2023-11-09")

    selection = Selection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"{SITE}/schedule/?day=2023-11-09#marked-events-{week[0].pk}"
    )
    assert list(selection.items.values_list("source", "object_pk")) == [
        ("events", week[0].pk)
    ]
    cookie = response.cookies[views.COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600


def test_add_twice_and_another_keeps_one_week(client, week):
    mark(client, week[0])
    mark(client, week[0])
    mark(client, week[1])

    assert Selection.objects.count() == 1
    assert SelectionItem.objects.count() == 2


def test_add_from_another_site_is_refused(client, week):
    response = mark(client, week[0], Origin="https://elsewhere.example")

    assert response.status_code == 403
    assert Selection.objects.count() == 0


def test_add_of_an_unpublished_event_is_not_found(client, clock, edition_2023):
    hidden = EventFactory(edition=edition_2023, unpublished=True)

    response = mark(client, hidden)

    assert response.status_code == 404
    assert Selection.objects.count() == 0


def test_add_of_an_unknown_source_is_not_found(client, week):
    response = mark(client, week[0], source="nonsense")

    assert response.status_code == 404


def test_activation_can_be_marked(client, clock, edition_2023):
    activation = ActivationFactory(edition=edition_2023)

    mark(client, activation, source="activations")

    page = client.get(Selection.objects.get().get_absolute_url())
    assert activation.title in page.content.decode()


def test_week_page_lists_marks_with_cancelled_shown_and_is_private(client, week):
    week[1].is_cancelled = True
    week[1].save()
    mark(client, week[0])
    mark(client, week[1])
    selection = Selection.objects.get()

    response = client.get(selection.get_absolute_url())

    html = response.content.decode()
    assert week[0].title in html
    assert week[1].title in html
    assert week[2].title not in html
    assert "Отменено" in html
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "X-Accel-Expires" not in response


def test_remove_and_clear(client, week):
    for event in week:
        mark(client, event)
    selection = Selection.objects.get()

    client.post(
        f"/my/{selection.token}/remove/", {"source": "events", "pk": week[0].pk}
    )
    assert set(selection.items.values_list("object_pk", flat=True)) == {
        week[1].pk,
        week[2].pk,
    }

    client.post(f"/my/{selection.token}/clear/")
    assert selection.items.count() == 0
    assert Selection.objects.filter(pk=selection.pk).exists()


def test_link_opened_in_a_new_browser_adopts_the_week(client, week):
    mark(client, week[0])
    selection = Selection.objects.get()
    client.cookies.clear()

    response = client.get(selection.get_absolute_url())
    mark(client, week[1])

    assert views.COOKIE in response.cookies
    assert Selection.objects.count() == 1
    assert selection.items.count() == 2


def test_link_of_another_week_does_not_replace_this_browsers_own(client, week):
    other = services.start()
    mark(client, week[0])

    response = client.get(other.get_absolute_url())

    assert views.COOKIE not in response.cookies
    assert "Использовать эту неделю в этом браузере" in response.content.decode()


def test_my_week_sends_the_browser_to_its_own_link(client, week):
    mark(client, week[0])

    response = client.get("/my/")

    assert response["Location"] == Selection.objects.get().get_absolute_url()


def test_unknown_token_is_not_found(client, db):
    assert client.get("/my/" + "x" * 43 + "/").status_code == 404


def test_feed_has_the_marked_entries_with_their_uids_and_status(client, week):
    week[1].is_cancelled = True
    week[1].save()
    mark(client, week[0])
    mark(client, week[1])
    selection = Selection.objects.get()

    response = client.get(f"/my/{selection.token}.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert events == {
        ics.event_uid(week[0]): "CONFIRMED",
        ics.event_uid(week[1]): "CANCELLED",
    }
    assert "private" in response["Cache-Control"]


def test_send_link_mails_the_link_and_keeps_no_address(
    client, week, mailoutbox, django_capture_on_commit_callbacks
):
    mark(client, week[0])
    selection = Selection.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/my/{selection.token}/send/", {"email": "Someone@Example.ru"}
        )

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["someone@example.ru"]
    assert selection.token in mailoutbox[0].body
    assert f"/my/{selection.token}.ics" in mailoutbox[0].body


def test_send_link_with_a_bad_address_says_so(client, week, mailoutbox):
    selection = services.start()

    response = client.post(f"/my/{selection.token}/send/", {"email": "nope"})

    assert response.status_code == 400
    assert "name@example.ru" in response.content.decode()
    assert mailoutbox == []


def test_send_link_is_rate_limited_per_address(
    client, week, settings, django_capture_on_commit_callbacks
):
    settings.QUALITYWEEK_MYWEEK_LINK_EMAIL_RATE = "1/h"
    selection = services.start()
    url = f"/my/{selection.token}/send/"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "a@example.ru"})
        response = client.post(url, {"email": "a@example.ru"})

    assert response.status_code == 400
    assert len(mail.outbox) == 1


def test_schedule_page_is_the_same_for_every_visitor(client, week):
    anonymous = client.get("/schedule/").content
    mark(client, week[0])

    with_a_week = client.get("/schedule/")

    assert with_a_week.content == anonymous
    assert f'value="{week[0].pk}"' in anonymous.decode()
    assert "csrfmiddlewaretoken" not in anonymous.decode()


def test_purge_forgets_weeks_unused_for_a_year(clock, week):
    old = services.start()
    services.add(old, "events", week[0].pk)
    clock("2024-11-02T10:00+03:00")
    fresh = services.start()

    assert services.purge_unused() == 1

    assert list(Selection.objects.all()) == [fresh]
    assert SelectionItem.objects.count() == 0


def test_purge_job_is_registered():
    from qualityweek import scheduler

    assert "purge_unused_selections" in [job.name for job in scheduler.JOBS]


@pytest.mark.parametrize("count", [1, 3])
def test_week_page_queries_do_not_grow_with_marks(
    client, week, count, django_assert_num_queries
):
    for event in week[:count]:
        mark(client, event)
    url = Selection.objects.get().get_absolute_url()
    client.get(url)

    with django_assert_num_queries(7):
        client.get(url)


def test_event_and_activation_pages_carry_the_button(client, week, edition_2023):
    activation = ActivationFactory(edition=edition_2023)

    event_page = client.get(week[0].get_absolute_url()).content.decode()
    activation_page = client.get(activation.get_absolute_url()).content.decode()

    assert f'name="pk" value="{week[0].pk}"' in event_page
    assert 'name="source" value="activations"' in activation_page
    assert f'name="pk" value="{activation.pk}"' in activation_page


def test_proxy_never_keeps_an_answer_that_sets_a_cookie(rf):
    from django.http import HttpResponse

    from events import caching

    kept = caching.let_proxy_keep(rf.get("/schedule/"), HttpResponse("same for all"))
    with_cookie = HttpResponse("personal")
    with_cookie.set_cookie(views.COOKIE, "x")
    refused = caching.let_proxy_keep(rf.get("/schedule/"), with_cookie)

    assert kept["X-Accel-Expires"] == "1"
    assert "X-Accel-Expires" not in refused
