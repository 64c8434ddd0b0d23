from django.urls import reverse

from tests.pages import text_of


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (
        200,
        b"database: ok\ncache: ok\n",
    )


def test_robots_keeps_private_pages_out_in_both_languages(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert lines == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        "Disallow: /checkin/",
        "Disallow: /en/checkin/",
        "Disallow: /registrations/",
        "Disallow: /en/registrations/",
        "Disallow: /activations/edit/",
        "Disallow: /en/activations/edit/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_privacy_page_names_152_fz(client, db):
    assert "152-ФЗ" in text_of(client.get(reverse("privacy")))


def test_privacy_page_speaks_english_under_en(client, db):
    response = client.get("/en/privacy/")

    assert "Personal data policy" in text_of(response)
