"""A partner's page frames the region's programme in Chromium: a site organisers
listed gets it, any other site is refused by the browser, and no other page of
ours can be framed even by a listed site."""

import http.server
import threading

import pytest

from events.models import EmbedOrigin
from tests.factories import EventFactory, VenueFactory, moscow, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


class PartnerSite:
    """A partner's site of its own origin (127.0.0.1 and a port of its own, where
    the live server is localhost): one page, framing the address it is given."""

    def __init__(self):
        frames = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = (
                    "<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'>"
                    "<title>Министерство</title></head><body><h1>Министерство</h1>"
                    f"<iframe src='{frames.framed}' title='Программа недели' "
                    "width='100%' height='600' loading='lazy'></iframe></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.framed = ""
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner():
    site = PartnerSite()
    yield site
    site.close()


@pytest.fixture
def stranger():
    site = PartnerSite()
    yield site
    site.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text)
            if message.type == "error"
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def novosibirsk_session(clock, edition_2023):
    return EventFactory(
        edition=edition_2023,
        title="Качество в Сибири",
        venue=VenueFactory(region=region("54")),
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
    )


def refusal(tab, site) -> str:
    """Open the partner's page and wait for the browser to refuse its frame: the
    console error, once the frame holds the browser's error page, not ours."""
    with tab.expect_console_message(
        lambda message: message.type == "error" and "frame-ancestors" in message.text
    ) as refused:
        tab.goto(site.origin + "/")
    assert tab.frames[1].locator(".embed-title, .page-head").count() == 0
    return refused.value.text


def test_a_listed_site_shows_the_regions_programme_in_a_frame(
    tab, live_server, partner, novosibirsk_session
):
    EmbedOrigin.objects.create(origin=partner.origin, note="Министерство")
    partner.framed = live_server.url + "/embed/regions/54/"

    tab.goto(partner.origin + "/")

    frame = tab.frame_locator("iframe")
    assert frame.locator("h1").inner_text() == "Новосибирская область"
    link = frame.get_by_role("link", name="Качество в Сибири")
    assert link.get_attribute("target") == "_blank"
    assert (
        "14:00–16:00 по местному времени (МСК+4)"
        in frame.locator(".embed-row").inner_text()
    )
    assert tab.console_errors == []


def test_another_site_is_refused_by_the_browser(
    tab, live_server, partner, stranger, novosibirsk_session
):
    EmbedOrigin.objects.create(origin=partner.origin)
    stranger.framed = live_server.url + "/embed/regions/54/"

    error = refusal(tab, stranger)

    assert f"frame-ancestors {partner.origin}" in error


def test_a_listed_site_cannot_frame_any_other_page(
    tab, live_server, partner, novosibirsk_session
):
    EmbedOrigin.objects.create(origin=partner.origin)
    partner.framed = live_server.url + "/regions/54/"

    error = refusal(tab, partner)

    assert "frame-ancestors 'none'" in error
