import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from qualityweek.client_address import ClientAddressMiddleware

NGINX = "10.0.0.5"
BALANCER = "10.1.0.7"
VISITOR = "203.0.113.66"


def seen_address(settings, peer: str, forwarded_for: str | None = None) -> str:
    """What REMOTE_ADDR the views see for a request from `peer`."""
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    request = RequestFactory(REMOTE_ADDR=peer).get("/", headers=headers)
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    ClientAddressMiddleware(view)(request)
    return seen["address"]


@pytest.fixture
def behind_nginx(settings):
    settings.QUALITYWEEK_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1/32"]
    return settings


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.QUALITYWEEK_TRUSTED_PROXIES = []

    assert seen_address(settings, NGINX, VISITOR) == NGINX


def test_trusted_proxy_gives_the_address_it_forwards(behind_nginx):
    assert seen_address(behind_nginx, NGINX, VISITOR) == VISITOR


def test_spoofed_header_from_a_peer_that_is_no_proxy_is_ignored(behind_nginx):
    assert seen_address(behind_nginx, "198.51.100.9", VISITOR) == "198.51.100.9"


def test_address_a_client_prepends_is_skipped_for_the_one_the_proxy_saw(
    behind_nginx,
):
    # The client sent "X-Forwarded-For: 192.0.2.1"; a proxy appending its peer
    # (nginx's $proxy_add_x_forwarded_for) made this of it.
    assert seen_address(behind_nginx, NGINX, f"192.0.2.1, {VISITOR}") == VISITOR


def test_chain_of_trusted_proxies_is_walked_from_the_right(behind_nginx):
    chain = f"192.0.2.1, {VISITOR}, {BALANCER}"

    assert seen_address(behind_nginx, NGINX, chain) == VISITOR


def test_request_from_the_proxies_own_network_is_theirs(behind_nginx):
    assert seen_address(behind_nginx, "127.0.0.1", "127.0.0.1") == "127.0.0.1"


@pytest.mark.parametrize(
    "header",
    [None, "", " ", ",", "garbage", f"{VISITOR}, not-an-ip", "999.1.1.1", "1.2.3.4:80"],
)
def test_malformed_header_from_a_proxy_gives_the_proxy_address(behind_nginx, header):
    assert seen_address(behind_nginx, NGINX, header) == NGINX


def test_ipv6_and_mapped_ipv4_addresses_are_understood(settings):
    settings.QUALITYWEEK_TRUSTED_PROXIES = ["fd00::/8", "10.0.0.0/8"]

    assert seen_address(settings, "fd00::5", "2001:db8::1") == "2001:db8::1"
    assert seen_address(settings, "::ffff:10.0.0.5", VISITOR) == VISITOR


def test_mapped_ipv4_peer_that_is_no_proxy_is_given_plainly(behind_nginx):
    assert seen_address(behind_nginx, "::ffff:198.51.100.9", VISITOR) == (
        "198.51.100.9"
    )


def test_peer_that_is_no_address_is_left_as_it_is(behind_nginx):
    assert seen_address(behind_nginx, "", VISITOR) == ""


def test_middleware_runs_first_so_everything_sees_the_client(settings):
    # Only the two that count and name every answer (metrics, the request's ID)
    # wrap it; neither reads the address.
    counting = {
        "qualityweek.metrics.MetricsMiddleware",
        "qualityweek.request_id.RequestIDMiddleware",
    }
    assert next(name for name in settings.MIDDLEWARE if name not in counting) == (
        "qualityweek.client_address.ClientAddressMiddleware"
    )


def test_wrong_trusted_proxies_setting_stops_the_start(settings):
    environment = {**os.environ, "QUALITYWEEK_TRUSTED_PROXIES": "10.0.0.0/8,nginx"}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert "QUALITYWEEK_TRUSTED_PROXIES" in result.stderr


def echo_address(request):
    return HttpResponse(request.META["REMOTE_ADDR"])


urlpatterns = [path("address/", echo_address)]


@pytest.mark.urls(__name__)
def test_whole_stack_sees_the_client_behind_nginx(behind_nginx):
    client = Client(REMOTE_ADDR=NGINX)

    response = client.get("/address/", headers={"X-Forwarded-For": VISITOR})

    assert response.content.decode() == VISITOR
