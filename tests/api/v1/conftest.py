"""Fixtures for the v1 API: callers (session, read token, money token), JSON helpers, and the
payout fixtures (banks synced from the sandbox, bank accounts, fee rules)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from tests.funding.conftest import SUCCESS_CARD  # noqa: F401
from tests.payouts.conftest import (  # noqa: F401  (fixtures)
    add_account,
    bank_account,
    funded_wallet,
    payout_fee_rules,
    payouts_service,
    synced_banks,
)
from wallet.services.api_tokens import issue_token

V1 = "/wallet/api/v1/"


class Api:
    """A test client speaking JSON to /wallet/api/v1/ (paths are given without the prefix)."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path, params=None, **headers):
        return self.client.get(V1 + path, params or {}, headers=headers)

    def post(self, path, body=None, key=None, raw=None, **headers):
        if key:
            headers["Idempotency-Key"] = key
        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(V1 + path, data, content_type="application/json", headers=headers)

    def patch(self, path, body, **headers):
        data = json.dumps(body)
        return self.client.patch(V1 + path, data, content_type="application/json", headers=headers)

    def delete(self, path, **headers):
        return self.client.delete(V1 + path, headers=headers)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle and rate-limit counters live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client_logged_in):
    """The logged-in browser session (Django's test client skips CSRF unless asked), with
    its password re-entered just now, as adding a bank account or a PIN needs (issue 20)."""
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    return Api(client_logged_in)


def token_api(user, scope="money", **kwargs):
    _, secret = issue_token(user=user, name=f"{scope} token", scope=scope, **kwargs)
    return Api(Client(headers={"Authorization": f"Bearer {secret}"}))


@pytest.fixture
def money_api(user):
    return token_api(user, "money")


@pytest.fixture
def read_api(user):
    return token_api(user, "read")


@pytest.fixture
def other_api(other_user):
    client = Client()
    client.force_login(other_user)
    return Api(client)


def failed(response, status, error=None):
    """The one error shape, with this status (and code)."""
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == {"status", "error", "reason"} and body["status"] == "failed", body
    assert body["reason"]
    if error:
        assert body["error"] == error, body
    return body
