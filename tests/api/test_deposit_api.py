"""The guide's deposit -> Paystack checkout -> verify flow, over the JSON API and the sandbox."""

import json
from decimal import Decimal

import pytest

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Transaction

DEPOSIT = "/wallet/api/wallets/default/deposit/"
VERIFY = "/wallet/api/transactions/verify/"
CALLBACK = "http://testserver/wallet/deposit/callback/"
pytestmark = pytest.mark.django_db


def post(client, url, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_deposit_then_verify_credits_the_wallet_once(client_logged_in, wallet, sandbox):
    started = post(
        client_logged_in,
        DEPOSIT,
        {"amount": 5000, "email": "alice@example.com", "callback_url": CALLBACK},
    )
    answer = started.json()
    sandbox.complete_checkout(answer["authorization_url"])

    first = post(client_logged_in, VERIFY, {"reference": answer["reference"]})
    second = post(client_logged_in, VERIFY, {"reference": answer["reference"]})

    assert started.status_code == 201
    assert answer["status"] == "pending" and answer["authorization_url"].startswith("http")
    assert answer["amount"] == "5000.00" and answer["access_code"]
    assert first.status_code == 200 and first.json()["status"] == "success"
    assert first.json()["transaction"]["status"] == "success"
    assert first.json()["transaction"]["amount"] == "5000.00"
    assert second.json()["transaction"] == first.json()["transaction"]
    assert balances(wallet) == [Decimal("5000.00")]
    assert_ledger_consistent()


def test_verify_before_paying_credits_nothing(client_logged_in, wallet, sandbox):
    answer = post(client_logged_in, DEPOSIT, {"amount": "100", "callback_url": CALLBACK}).json()

    verified = post(client_logged_in, VERIFY, {"reference": answer["reference"]})

    assert verified.status_code == 200
    assert verified.json()["transaction"]["status"] == "pending"
    assert balances(wallet) == [Decimal("0.00")]


def test_another_users_charge_cannot_be_verified(client, user, other_user, wallet, sandbox):
    client.force_login(user)
    answer = post(client, DEPOSIT, {"amount": "100", "callback_url": CALLBACK}).json()
    sandbox.complete_checkout(answer["authorization_url"])
    client.force_login(other_user)

    response = post(client, VERIFY, {"reference": answer["reference"]})

    assert response.status_code == 404
    assert balances(wallet) == [Decimal("0.00")]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"amount": "-5"}, 422, "invalid_amount"),
        ({"amount": "1.001"}, 422, "invalid_amount"),
        ({"amount": "Infinity"}, 422, "invalid_amount"),
        ({}, 400, "invalid_request"),
        ({"amount": "50", "email": "not-an-email"}, 422, "invalid_email"),
        ({"amount": "50", "callback_url": "https://evil.example.com/steal"}, 422, "wallet_error"),
        ({"amount": "50", "callback_url": "//evil.com/x"}, 422, "wallet_error"),
    ],
)
def test_bad_deposits_are_refused_before_paystack_is_called(
    client_logged_in, wallet, sandbox, body, status, error
):
    response = post(client_logged_in, DEPOSIT, body)

    assert response.status_code == status and response.json()["error"] == error
    assert not Transaction.objects.filter(wallet=wallet).exists()


def test_deposit_with_an_idempotency_key_opens_one_checkout(client_logged_in, wallet, sandbox):
    body = {"amount": "2500", "callback_url": CALLBACK}

    first = post(client_logged_in, DEPOSIT, body, key="checkout-1")
    again = post(client_logged_in, DEPOSIT, body, key="checkout-1")

    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Transaction.objects.filter(wallet=wallet).count() == 1


def test_gateway_down_is_a_clear_503_and_moves_nothing(client_logged_in, wallet, sandbox):
    sandbox.fault("/transaction/initialize", "500", times=None)

    response = post(client_logged_in, DEPOSIT, {"amount": "100", "callback_url": CALLBACK})

    assert response.status_code == 503 and response.json()["error"] == "gateway_unavailable"
    assert balances(wallet) == [Decimal("0.00")]
