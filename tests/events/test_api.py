"""The read-only JSON API (/api/v1/…), its OpenAPI document and /api/."""

import datetime
import json
import re

import pytest
from django.conf import settings

from events import frab, ics
from tests.factories import ActivationFactory, EventFactory, moscow


@pytest.fixture
def programme(week, edition_2023, clock):
    week["tba"] = EventFactory(
        edition=edition_2023,
        slug="demo-tba",
        title="Сессия-пример",
        start=moscow(2023, 11, 7, 12),
        end=moscow(2023, 11, 7, 13),
        is_demo=True,
        is_time_confirmed=False,
    )
    week["activation"] = ActivationFactory(
        edition=edition_2023,
        slug="open-day-kirov",
        first_day=datetime.date(2023, 11, 7),
        last_day=datetime.date(2023, 11, 9),
    )
    week["pending"] = ActivationFactory(edition=edition_2023, pending=True)
    return week


def get_json(client, path, **kwargs):
    response = client.get(path, **kwargs)
    return response, json.loads(response.content)


def test_events_list_only_published_with_marks(client, programme):
    _response, data = get_json(client, "/api/v1/events/")

    slugs = [item["slug"] for item in data["results"]]
    assert slugs == ["demo-tba", "cancelled-talk", "online-webinar", "kirov-open-day"]
    tba = data["results"][0]
    assert tba["demo"] is True
    assert tba["certainty"]["time_to_be_confirmed"] is True
    assert tba["certainty"]["labels"] == ["Демо", "Время уточняется"]
    assert data["results"][1]["cancelled"] is True
    assert tba["start"] == "2023-11-07T12:00:00+03:00"
    assert tba["guid"] == frab.guid(ics.event_uid(programme["tba"]))


def test_event_detail_and_unpublished_is_404(client, programme):
    _response, data = get_json(client, "/api/v1/events/kirov-open-day/")
    missing, error = get_json(client, "/api/v1/events/draft/")

    assert data["venue"]["name"] == "Кировский технопарк"
    assert data["region"] == {"code": "43", "name": "Кировская область"}
    assert missing.status_code == 404
    assert error == {"detail": "Не найдено."}


def test_activations_approved_only_without_contacts(client, programme):
    response, data = get_json(client, "/api/v1/activations/")

    assert [item["slug"] for item in data["results"]] == ["open-day-kirov"]
    item = data["results"][0]
    assert (item["first_day"], item["last_day"], item["whole_day"]) == (
        "2023-11-07",
        "2023-11-09",
        True,
    )
    text = response.content.decode()
    activation = programme["activation"]
    for private in (activation.email, activation.phone, activation.contact_name):
        assert private not in text
    assert activation.inn not in text


def test_pending_activation_detail_is_404(client, programme):
    response = client.get(f"/api/v1/activations/{programme['pending'].slug}/")

    assert response.status_code == 404


def test_programme_lists_what_the_calendar_lists(client, programme):
    _response, data = get_json(client, "/api/v1/programme/")

    assert {item["uid"] for item in data["results"]} == {
        ics.event_uid(programme[name])
        for name in ("online", "kirov", "cancelled", "tba", "activation")
    }


def test_lists_come_in_pages(client, edition_2023, clock, monkeypatch):
    monkeypatch.setattr("events.views.api.PAGE_SIZE", 2)
    EventFactory.create_batch(3, edition=edition_2023)

    _response, first = get_json(client, "/api/v1/events/?utm_source=x")
    _response, second = get_json(client, "/api/v1/events/?page=2")
    missing = client.get("/api/v1/events/?page=3")

    assert (first["count"], first["pages"], len(first["results"])) == (3, 2, 2)
    assert first["next"] == f"{settings.QUALITYWEEK_SITE_URL}/api/v1/events/?page=2"
    assert (len(second["results"]), second["next"]) == (1, None)
    assert missing.status_code == 404


def test_etag_gives_304_and_changes_with_the_programme(client, programme):
    first = client.get("/api/v1/events/")
    not_modified = client.get(
        "/api/v1/events/", headers={"if-none-match": first["ETag"]}
    )
    EventFactory(edition=programme["online"].edition)
    changed = client.get("/api/v1/events/", headers={"if-none-match": first["ETag"]})

    assert not_modified.status_code == 304
    assert changed.status_code == 200
    assert len(json.loads(changed.content)["results"]) == 5


def test_api_lets_any_site_read_and_answers_preflight(client, programme):
    response = client.get("/api/v1/events/")
    preflight = client.options("/api/v1/events/")
    post = client.post("/api/v1/events/")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert post.status_code == 405


def test_api_in_english_under_en(client, programme):
    _response, data = get_json(client, "/en/api/v1/events/online-webinar/")

    assert data["title"] == "Webinar on quality"
    assert data["format_label"] == "Online"


def test_regions_list_those_taking_part(client, programme):
    _response, data = get_json(client, "/api/v1/regions/")
    _response, kirov = get_json(client, "/api/v1/regions/43/")

    assert [region["code"] for region in data["results"]] == ["43"]
    assert data["results"][0]["counts"]["activations"] == 2 - 1  # approved only
    assert {item["uid"] for item in kirov["programme"]} == {
        ics.event_uid(programme["kirov"]),
        ics.event_uid(programme["activation"]),
    }


def test_editions(client, programme):
    _response, data = get_json(client, "/api/v1/editions/")
    _response, edition = get_json(client, "/api/v1/editions/2023/")

    assert [item["year"] for item in data["results"]] == [2023]
    assert (
        edition["schedule_xml"] == f"{settings.QUALITYWEEK_SITE_URL}/2023/schedule.xml"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_events_list_queries_do_not_grow(
    client, edition_2023, clock, django_assert_num_queries, count
):
    EventFactory.create_batch(count, edition=edition_2023)

    with django_assert_num_queries(6):
        _response, data = get_json(client, "/api/v1/events/")

    assert data["count"] == count


# The OpenAPI document, walked path by path.


def resolve(document, schema: dict) -> dict:
    if "$ref" in schema:
        target = document
        for part in schema["$ref"].split("/")[1:]:
            target = target[part]
        return resolve(document, target)
    return schema


def required_keys(document, schema: dict) -> set:
    schema = resolve(document, schema)
    keys = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        keys |= required_keys(document, part)
    return keys


def test_openapi_document_is_served_at_both_addresses(client, programme):
    _response, document = get_json(client, "/api/v1/openapi.json")
    _response, contract = get_json(client, "/api/openapi.json")

    assert document["openapi"] == "3.1.0"
    assert document == contract
    assert "/api/v1/activations/{slug}/" in document["paths"]


def test_every_documented_path_answers_as_documented(client, programme):
    _response, document = get_json(client, "/api/v1/openapi.json")
    values = {
        "year": "2023",
        "code": "43",
        "slug": None,  # per collection, below
    }
    slugs = {"events": "online-webinar", "activations": "open-day-kirov"}
    checked = []

    for path, item in document["paths"].items():
        collection = path.split("/")[3]
        filled = re.sub(
            r"\{(\w+)\}",
            lambda match: values[match[1]] or slugs[collection],  # noqa: B023
            path,
        )
        response = client.get(filled)
        documented = item["get"]["responses"][str(response.status_code)]
        schema = documented["content"]["application/json"]["schema"]
        data = json.loads(response.content)
        missing = required_keys(document, schema) - set(data)
        if "results" in data:
            item_schema = resolve(document, schema)["properties"]["results"]["items"]
            missing |= {
                key
                for result in data["results"]
                for key in required_keys(document, item_schema) - set(result)
            }
        not_found = client.get(filled.replace("2023", "1999").replace("/43/", "/99/"))
        checked.append(
            (
                path,
                response.status_code,
                response["Content-Type"],
                missing,
                bool(data.get("results", True)),
            )
        )
        if "{" in path:
            assert str(not_found.status_code) in item["get"]["responses"]

    assert checked == [
        (path, 200, "application/json", set(), True) for path in document["paths"]
    ]


def test_api_page_describes_the_feeds_and_is_in_the_footer(client, programme):
    page = client.get("/api/").content.decode()
    english = client.get("/en/api/").content.decode()
    home = client.get("/").content.decode()

    assert "http://testserver/schedule.xml" in page
    assert "/api/v1/openapi.json" in page
    assert "Programme for apps and partners" in english
    assert 'href="/api/"' in home
