"""Error reports to a Sentry-compatible tracker: sent when SENTRY_DSN is set,
and carrying no person's data."""

import contextlib
import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

from django.conf import settings as django_settings

from qualityweek import error_tracking

ROOT = Path(django_settings.BASE_DIR)
EMAIL = "zinaida.errors@example.ru"
PHONE = "+7 916 555-90-17"
TOKEN = "kT3vQ9xZ2mW8pL4nR7sB1cY6hJ0dF5gA"
REQUEST_ID = "fedcba9876543210fedcba9876543210"

# A process of the site with SENTRY_DSN set, where a view fails on a request
# whose URL, query and body hold an address, a phone and a token.
FAILING_REQUEST = f"""
import io, os, urllib.parse, wsgiref.util
import django, sentry_sdk
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

application = get_wsgi_application()


@csrf_exempt
def fail(request, token):
    raise RuntimeError(
        "could not write to " + request.POST["email"] + " at " + request.POST["phone"]
    )


urls = type("urls", (), {{"urlpatterns": [path("registrations/<token>/fail/", fail)]}})
body = urllib.parse.urlencode(
    {{"email": "{EMAIL}", "phone": "{PHONE}", "surname": "Ошибкина"}}
).encode()
environ = {{
    "REQUEST_METHOD": "POST",
    "PATH_INFO": "/registrations/{TOKEN}/fail/",
    "QUERY_STRING": "email={EMAIL}&key={TOKEN}",
    "CONTENT_TYPE": "application/x-www-form-urlencoded",
    "CONTENT_LENGTH": str(len(body)),
    "wsgi.input": io.BytesIO(body),
    "HTTP_HOST": os.environ.get("REQUEST_HOST", "testserver"),
    "HTTP_X_REQUEST_ID": "{REQUEST_ID}",
}}
wsgiref.util.setup_testing_defaults(environ)
statuses = []
with override_settings(ROOT_URLCONF=urls):
    b"".join(application(environ, lambda status, headers: statuses.append(status)))
sentry_sdk.flush(timeout=10)
print(statuses[0].split()[0])
"""


class FakeTracker(http.server.BaseHTTPRequestHandler):
    """Sentry's envelope endpoint: keeps every envelope it is sent."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.envelopes.append((self.path, body.decode()))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def fake_tracker():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeTracker)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def run_failing_request(tmp_path, **environ) -> str:
    env = {
        **{key: value for key, value in os.environ.items() if "SENTRY" not in key},
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "qualityweek.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "ALLOWED_HOSTS": "testserver",
        **environ,
    }
    result = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def events_in(envelopes) -> list[dict]:
    """The error events of the envelopes: each is a header line, then items of
    a header line and a payload line."""
    events = []
    for _path, envelope in envelopes:
        lines = envelope.splitlines()
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_a_failing_view_is_reported_without_address_phone_or_token(tmp_path):
    with fake_tracker() as tracker:
        status = run_failing_request(
            tmp_path,
            SENTRY_DSN=f"http://publickey@127.0.0.1:{tracker.server_port}/7",
            SENTRY_ENVIRONMENT="rehearsal",
        )

    everything = "\n".join(body for _path, body in tracker.envelopes)
    [event] = events_in(tracker.envelopes)
    [exception] = event["exception"]["values"]
    assert status == "500"
    assert {path for path, _body in tracker.envelopes} == {"/api/7/envelope/"}
    assert (exception["type"], exception["value"]) == (
        "RuntimeError",
        "could not write to [email] at [phone]",
    )
    assert event["request"]["url"].endswith("/registrations/[token]/fail/")
    assert (event["environment"], event["tags"]["request_id"]) == (
        "rehearsal",
        REQUEST_ID,
    )
    assert event["release"] == django_settings.QUALITYWEEK_VERSION
    assert [
        value
        for value in (EMAIL, "zinaida", PHONE, "5559017", TOKEN, "Ошибкина")
        if value in everything
    ] == []


def test_without_a_dsn_nothing_is_sent(tmp_path):
    with fake_tracker() as tracker:
        status = run_failing_request(tmp_path)

    assert (status, tracker.envelopes) == ("500", [])


def test_scrub_blanks_addresses_phones_and_tokens_but_keeps_dates_and_words():
    event = {
        "request": {
            "url": f"https://qualityweek.example.ru/my/{TOKEN}:1qy5Cq:abc123DEF456ghi789JKL/",
            "query_string": f"email={EMAIL}&next=/schedule/2023-11-10/",
            "headers": {"Referer": f"https://example.ru/?phone={PHONE}"},
        },
        "logentry": {"message": "Registration %s: %s", "params": [42, "confirmed"]},
        "event_id": "0123456789abcdef0123456789abcdef",
    }

    scrubbed = error_tracking.scrub(event)

    assert scrubbed["request"] == {
        "url": "https://qualityweek.example.ru/my/[token]/",
        "query_string": "email=[email]&next=/schedule/2023-11-10/",
        "headers": {"Referer": "https://example.ru/?phone=[phone]"},
    }
    assert scrubbed["logentry"]["params"] == [42, "confirmed"]
    assert scrubbed["event_id"] == "0123456789abcdef0123456789abcdef"


def test_a_request_for_an_unknown_host_sends_no_report(tmp_path):
    with fake_tracker() as tracker:
        status = run_failing_request(
            tmp_path,
            SENTRY_DSN=f"http://publickey@127.0.0.1:{tracker.server_port}/7",
            REQUEST_HOST="203.0.113.5",
        )

    assert (status, events_in(tracker.envelopes)) == ("400", [])
