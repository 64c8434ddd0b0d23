import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

pytestmark = pytest.mark.django_db

STATIC_IMG = Path(settings.BASE_DIR) / "static" / "img"


class HeadTags(HTMLParser):
    """The <meta> and <link> tags of a page, as a link preview reads them."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            name = attrs.get("property") or attrs["name"]
            self.meta.setdefault(name, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)


def head_tags(response) -> HeadTags:
    tags = HeadTags()
    tags.feed(response.content.decode())
    return tags


def link_hrefs(tags: HeadTags, rel: str) -> list[str]:
    return [link["href"] for link in tags.links if link.get("rel") == rel]


def test_schedule_shares_as_its_own_address_without_tracking_tags(client, edition_2023):
    # Unknown parameters redirect on cached pages; the accepted ones are filters.
    tags = head_tags(client.get("/schedule/?format=online"))

    assert link_hrefs(tags, "canonical") == ["http://testserver/schedule/"]
    assert tags.meta["og:url"] == ["http://testserver/schedule/"]
    assert tags.meta["og:type"] == ["website"]
    assert tags.meta["og:site_name"] == ["Всемирная неделя качества"]
    assert tags.meta["og:title"] == ["Программа — Всемирная неделя качества — 2023"]
    assert tags.meta["og:description"][0].startswith("Вся программа")
    assert tags.meta["twitter:card"] == ["summary_large_image"]


def test_page_in_english_names_its_locale_and_the_other(client, edition_2023):
    tags = head_tags(client.get("/en/schedule/"))

    assert tags.meta["og:locale"] == ["en_GB"]
    assert tags.meta["og:locale:alternate"] == ["ru_RU"]
    assert tags.meta["og:image"] == ["http://testserver/static/img/og-default.en.png"]
    assert link_hrefs(tags, "canonical") == ["http://testserver/en/schedule/"]


def test_language_alternates_include_x_default_in_russian(client, edition_2023):
    tags = head_tags(client.get("/en/schedule/"))

    alternates = {
        link["hreflang"]: link["href"]
        for link in tags.links
        if link.get("rel") == "alternate"
    }
    assert alternates == {
        "ru": "http://testserver/schedule/",
        "en": "http://testserver/en/schedule/",
        "x-default": "http://testserver/schedule/",
    }


def test_event_page_shares_its_title_and_the_site_image(client, regional_day):
    tags = head_tags(client.get("/events/regional-day-2023/"))

    assert tags.meta["og:title"] == [regional_day.title]
    assert tags.meta["og:image"] == ["http://testserver/static/img/og-default.ru.png"]
    assert (tags.meta["og:image:width"], tags.meta["og:image:height"]) == (
        ["1200"],
        ["630"],
    )
    assert tags.meta["og:locale"] == ["ru_RU"]
    assert link_hrefs(tags, "canonical") == [
        "http://testserver/events/regional-day-2023/"
    ]


def test_page_with_a_personal_link_is_not_previewed(client, db):
    response = client.get("/registrations/check-email/")

    tags = head_tags(response)
    assert link_hrefs(tags, "canonical") == []
    assert "og:url" not in tags.meta


def test_share_images_are_the_size_the_page_declares():
    for language in ("ru", "en"):
        with Image.open(STATIC_IMG / f"og-default.{language}.png") as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("favicon-32.png", 32),
        ("favicon-192.png", 192),
        ("favicon-512.png", 512),
        ("apple-touch-icon.png", 180),
    ],
)
def test_icons_are_pngs_of_their_size(name, size):
    with Image.open(STATIC_IMG / name) as image:
        assert (image.format, image.size) == ("PNG", (size, size))


def test_pages_link_the_png_icons_and_the_manifest(client, edition_2023):
    tags = head_tags(client.get("/"))

    icons = {
        (link["rel"], link.get("sizes"), link["href"])
        for link in tags.links
        if "icon" in link["rel"]
    }
    assert icons == {
        ("icon", None, "/static/img/logo.svg"),
        ("icon", "32x32", "/static/img/favicon-32.png"),
        ("icon", "192x192", "/static/img/favicon-192.png"),
        ("apple-touch-icon", "180x180", "/static/img/apple-touch-icon.png"),
    }
    assert link_hrefs(tags, "manifest") == ["/site.webmanifest"]


def test_manifest_names_the_site_in_the_page_language(client, db):
    response = client.get("/en/site.webmanifest")

    manifest = json.loads(response.content)
    assert response["Content-Type"].startswith("application/manifest+json")
    assert (manifest["name"], manifest["start_url"]) == ("World Quality Week", "/en/")
    assert [icon["src"] for icon in manifest["icons"]] == [
        "/static/img/favicon-192.png",
        "/static/img/favicon-512.png",
        "/static/img/logo.svg",
    ]
