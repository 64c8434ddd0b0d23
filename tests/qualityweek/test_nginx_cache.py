"""deploy/nginx.conf keeps anonymous pages for the seconds the site allows, and
media from the site's storage; never what is private, personal or sets a cookie.

The first tests run a real nginx in front of a stand-in site whose answers they
choose; the last ones check that the site says what nginx relies on.
"""

import contextlib
import gzip
import http.client
import http.server
import socket
import subprocess
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from deploy.loopback import NGINX, nginx_conf
from events import caching
from tests.factories import ConsentTextFactory, EventFactory

# What the stand-in site answers at each path: the headers it adds.
ANSWERS = {
    "/schedule/": {"X-Accel-Expires": "1"},
    "/events/with-a-cookie/": {"X-Accel-Expires": "1", "Set-Cookie": "csrftoken=x"},
    "/materials/1/download/": {"Cache-Control": "private, no-store"},
    "/regions/": {},
    "/registrations/secret-token/": {"X-Accel-Expires": "1"},
    "/activations/edit/signed/": {"X-Accel-Expires": "1"},
    "/admin/events/event/": {"X-Accel-Expires": "1"},
    "/checkin/": {"X-Accel-Expires": "1"},
    "/media/activations/in-the-bucket.webp": {
        "Cache-Control": "public, max-age=31536000, immutable",
        "ETag": '"photo-1"',
        "Last-Modified": "Wed, 01 Nov 2023 07:00:00 GMT",
        "Content-Type": "image/webp",
    },
}


class StandInSite(http.server.BaseHTTPRequestHandler):
    """Answers each path with its headers and the number of times it was asked."""

    def do_GET(self):
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.asked[path] = self.server.asked.get(path, 0) + 1
            count = self.server.asked[path]
        body = f"answer {count} {self.headers.get('Accept-Encoding', '')}".encode()
        body += b" " * 2000  # past gzip_min_length
        headers = {"Content-Type": "text/html; charset=utf-8", **ANSWERS[path]}
        if (
            path.startswith("/media/")
            and self.headers.get("If-None-Match") == (headers["ETag"])
        ):
            self.send_response(304)
            for name in ("ETag", "Last-Modified", "Cache-Control"):
                self.send_header(name, headers[name])
            self.end_headers()
            return
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    """deploy/nginx.conf in front of the stand-in site; yields (get, asked)."""
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandInSite)
    site.asked, site.lock = {}, threading.Lock()
    threading.Thread(target=site.serve_forever, daemon=True).start()
    (tmp_path / "media").mkdir()
    port = free_port()
    conf = nginx_conf(tmp_path, listen=port, upstreams=[site.server_address[1]])
    process = subprocess.Popen(
        [NGINX, "-e", "stderr", "-c", conf, "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def get(path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.content = response.read()
            return response
        finally:
            connection.close()

    try:
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, process.stderr.read()
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), timeout=1),
            ):
                break
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield get, site.asked
    finally:
        process.terminate()
        process.wait(timeout=10)
        site.shutdown()
        site.server_close()


def test_nginx_keeps_a_page_for_the_seconds_the_site_allows(nginx):
    get, asked = nginx

    first, second = get("/schedule/"), get("/schedule/")
    time.sleep(caching.PROXY_CACHE_SECONDS + 0.1)
    third = get("/schedule/")

    assert [r.getheader("X-Cache-Status") for r in (first, second)] == ["MISS", "HIT"]
    assert second.content == first.content
    assert third.content.startswith(b"answer 2")
    assert "X-Accel-Expires" not in dict(third.getheaders())  # nginx's own
    assert asked["/schedule/"] == 2


def test_nginx_never_keeps_an_answer_that_sets_a_cookie(nginx):
    get, asked = nginx

    answers = [get("/events/with-a-cookie/") for _ in range(3)]

    assert [a.content[:8] for a in answers] == [b"answer 1", b"answer 2", b"answer 3"]
    assert asked["/events/with-a-cookie/"] == 3


@pytest.mark.parametrize("path", ["/materials/1/download/", "/regions/"])
def test_nginx_keeps_nothing_private_or_unmarked(nginx, path):
    get, asked = nginx

    answers = [get(path) for _ in range(3)]

    assert asked[path] == 3
    assert {a.getheader("X-Cache-Status") for a in answers} == {"MISS"}


@pytest.mark.parametrize(
    "path",
    [
        "/registrations/secret-token/",
        "/activations/edit/signed/",
        "/admin/events/event/",
        "/checkin/",
    ],
)
def test_nginx_never_keeps_staff_or_secret_link_pages_whatever_they_say(nginx, path):
    get, asked = nginx

    for _ in range(3):
        get(path)

    assert asked[path] == 3


@pytest.mark.parametrize("cookie", ["sessionid=abc", "csrftoken=abc", "other=1"])
def test_a_visitor_with_a_cookie_always_reaches_the_site(nginx, cookie):
    get, asked = nginx
    get("/schedule/")

    answer = get("/schedule/", headers={"Cookie": cookie})

    assert (answer.getheader("X-Cache-Status"), asked["/schedule/"]) == ("BYPASS", 2)
    # …and what it got is not kept for the others.
    assert get("/schedule/").content.startswith(b"answer 1")


def test_nginx_keeps_a_gzipped_and_a_plain_copy_and_gzips_for_the_client(nginx):
    get, asked = nginx

    zipped = [get("/schedule/", {"Accept-Encoding": "gzip, br"}) for _ in range(2)]
    plain = [get("/schedule/") for _ in range(2)]

    assert asked["/schedule/"] == 2
    assert zipped[1].getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped[1].content).startswith(b"answer 1 gzip, br")
    assert plain[1].content.startswith(b"answer 2 ")
    assert plain[1].getheader("Content-Encoding") is None


def test_nginx_keeps_media_from_the_site_with_its_validators(nginx):
    get, asked = nginx
    path = "/media/activations/in-the-bucket.webp"

    first, second = get(path), get(path)
    again = get(path, {"If-None-Match": '"photo-1"'})

    assert [r.getheader("X-Cache-Status") for r in (first, second)] == ["MISS", "HIT"]
    assert (second.getheader("ETag"), second.getheader("Last-Modified")) == (
        '"photo-1"',
        "Wed, 01 Nov 2023 07:00:00 GMT",
    )
    assert again.status == 304  # answered by nginx from its copy
    assert asked[path] == 1


# What the site says for nginx to rely on.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/schedule/", "/schedule/2023-11-09/", "/regions/"])
def test_programme_pages_let_nginx_keep_them_two_seconds(client, edition_2023, path):
    response = client.get(path)

    # nginx keeps a copy until the second after the one it is told.
    assert (response.status_code, response["X-Accel-Expires"]) == (200, "1")


@pytest.mark.django_db
def test_event_page_and_feed_let_nginx_keep_them(client, edition_2023, clock):
    event = EventFactory(edition=edition_2023)

    page, feed = client.get(event.get_absolute_url()), client.get("/calendar.ics")

    assert (page["X-Accel-Expires"], feed["X-Accel-Expires"]) == ("1", "1")


@pytest.mark.django_db
def test_a_page_with_a_form_token_is_never_offered_to_nginx(
    client, edition_2023, clock
):
    ConsentTextFactory(purpose="activation", version="nginx")

    response = client.get("/activations/new/")

    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "X-Accel-Expires" not in response
    assert "csrftoken" in response.cookies


@pytest.mark.django_db
def test_a_visitor_with_a_session_gets_a_page_nginx_may_not_keep(
    client, edition_2023, settings
):
    client.cookies[settings.SESSION_COOKIE_NAME] = "whatever"

    response = client.get("/schedule/")

    assert "X-Accel-Expires" not in response


@pytest.mark.django_db
def test_material_download_is_never_stored(client, edition_2023, settings, tmp_path):
    from events.models import Material

    settings.MEDIA_ROOT = tmp_path
    material = Material.objects.create(
        edition=edition_2023,
        title="Брендбук",
        file=ContentFile(b"%PDF-1.7", name="brandbook.pdf"),
        is_published=True,
    )

    response = client.get(f"/materials/{material.pk}/download/")

    assert (response.status_code, response["Cache-Control"]) == (
        200,
        "private, no-store",
    )
    assert "X-Accel-Expires" not in response


def test_media_answers_with_validators_and_304(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("activations/a-w400.webp", ContentFile(b"RIFF"))

    first = client.get(f"/media/{name}")
    again = client.get(f"/media/{name}", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    assert (again.status_code, again["ETag"]) == (304, first["ETag"])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/schedule/", "/calendar.ics"])
def test_a_page_is_the_same_whatever_language_the_browser_asks(
    client, edition_2023, path
):
    """nginx ignores Vary: a page's language must come from its path alone."""
    russian = client.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    asked_english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    english = client.get("/en" + path, HTTP_ACCEPT_LANGUAGE="ru")

    assert asked_english.content == russian.content
    assert english.content != russian.content
