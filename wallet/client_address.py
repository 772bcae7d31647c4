"""The address of the client behind our own reverse proxies (security review, finding 6).

`REMOTE_ADDR` is the last hop: behind a proxy, that is the proxy. `X-Forwarded-For` is
believed only through hops named in `TRUSTED_PROXIES` (addresses or networks): read from the
right, each trusted hop hands over to the address it saw; the first untrusted one is the
client. A client can write anything at the left of the header; it never gets past a hop
we trust. With no trusted proxies the header is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request) -> str | None:
    """The client's IP address as a string, or None when REMOTE_ADDR is not an address."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        if not _trusted(client, networks):
            break
        previous = _address(hop)
        if previous is None:  # garbage from a client: keep the last hop we could trust
            break
        client = previous
    return str(client)
