"""Finding 6: the webhook allowlist sees the client, through trusted proxies only."""

import pytest
from django.test import RequestFactory

from wallet.client_address import client_address

PAYSTACK = "52.31.139.75"
PROXY = "10.0.0.5"


def address(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address(PROXY, PAYSTACK) == PROXY


def test_through_a_trusted_proxy_the_forwarded_client_is_seen(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(PROXY, PAYSTACK) == PAYSTACK


def test_a_client_cannot_forge_its_way_past_a_trusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The attacker wrote Paystack's address; our proxy appended the attacker's own.
    assert address(PROXY, f"{PAYSTACK}, 198.51.100.23") == "198.51.100.23"


def test_a_forwarded_header_from_an_untrusted_sender_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("198.51.100.23", PAYSTACK) == "198.51.100.23"


def test_garbage_in_the_header_stops_at_the_last_trusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(PROXY, "not-an-address") == PROXY


@pytest.mark.django_db
def test_the_webhook_allowlist_uses_the_client_behind_the_proxy(client, settings):
    settings.PAYSTACK_WEBHOOK_IPS = [PAYSTACK]
    settings.TRUSTED_PROXIES = [PROXY]
    body = b'{"event": "charge.success"}'
    behind_proxy = client.generic(
        "POST",
        "/wallet/webhook/",
        body,
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=PAYSTACK,
    )
    # Past the allowlist: refused only for its missing signature.
    assert behind_proxy.status_code == 401
    settings.TRUSTED_PROXIES = []
    proxy_itself = client.generic(
        "POST",
        "/wallet/webhook/",
        body,
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=PAYSTACK,
    )
    assert proxy_itself.status_code == 403


def test_login_rate_limits_count_the_client_behind_the_proxy(settings):
    from accounts.adapter import AccountAdapter

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert AccountAdapter(request).get_client_ip(request) == "198.51.100.4"
