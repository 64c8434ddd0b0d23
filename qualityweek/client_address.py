"""The visitor's address behind the site's own proxies.

Behind nginx every request comes from nginx's address, so rate limits, the
admin's lockout and the logs would all see one visitor. The proxies write the
address of their own peer into `X-Forwarded-For`, but so can any client: the
header is believed only when the request came from a trusted proxy
(`QUALITYWEEK_TRUSTED_PROXIES`), and only as far as the chain of trusted proxies
goes. Each proxy appends its peer on the right, so the chain is read from the
right, skipping the trusted proxies; the first other address is the client.
Anything malformed leaves the peer's address: a visitor may fool their own
count, never take another's, and never cause a 500.
"""

import functools
import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientAddressMiddleware:
    """Put the client's address into REMOTE_ADDR, for everything downstream."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted=trusted_networks(tuple(settings.QUALITYWEEK_TRUSTED_PROXIES)),
        )
        return self.get_response(request)


@functools.cache
def trusted_networks(networks: tuple[str, ...]) -> tuple[Network, ...]:
    """The setting's networks (CIDR, or a single address), parsed once."""
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def parse(text: str) -> Address | None:
    """One address as a header or the server gives it; None if it is none."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # "::ffff:10.0.0.5" on a dual-stack socket
    return address


def client_address(peer: str, forwarded_for: str, *, trusted) -> str:
    """The client's address: the peer, or what trusted proxies say it was."""
    peer_address = parse(peer)
    if peer_address is None:
        return peer  # a Unix socket, say: nothing to go by
    if not _is_trusted(peer_address, trusted):
        # In its plain form: "::ffff:198.51.100.9" from a dual-stack socket would
        # put every IPv4 visitor into one IPv6 /64 rate-limit bucket.
        return str(peer_address)
    if not forwarded_for.strip():
        return str(peer_address)
    chain = [parse(hop) for hop in forwarded_for.split(",")]
    if None in chain:
        # A proxy we trust wrote something that is no address: believe nothing.
        return str(peer_address)
    for hop in reversed(chain):
        if not _is_trusted(hop, trusted):
            return str(hop)
    # Every hop is one of ours (a request from the proxies' own network): the
    # furthest one is where it came from.
    return str(chain[0])


def _is_trusted(address: Address, trusted) -> bool:
    return any(address in network for network in trusted)
