"""The guide's transfer endpoint takes the PIN as `pin`. With WALLET_PIN_REQUIRED on, a
missing or wrong PIN answers 403 in the guide's failure shape ({"status": "failed", "error",
"reason"}), which the guide's transferFunds() returns to its caller as it is; nothing moves."""

import json
from decimal import Decimal

import pytest

from tests.outflows.conftest import PIN
from tests.wallet.money import balances
from wallet.models import TransactionPin

URL = "/wallet/api/wallets/default/transfer/"
pytestmark = pytest.mark.django_db


def transfer(client, destination, **extra):
    # The body transferFunds() sends, plus whatever the test adds.
    body = {"destination_wallet_id": destination.pk, "amount": 250, "description": "Lunch"}
    return client.post(URL, json.dumps({**body, **extra}), content_type="application/json")


def test_without_a_pin_the_guides_transfer_gets_403_pin_required(
    client_logged_in, user, pin_of, funded_wallet, other_wallet
):
    pin_of(user)
    response = transfer(client_logged_in, other_wallet)
    assert response.status_code == 403
    answer = response.json()
    assert answer["status"] == "failed" and answer["error"] == "pin_required"
    assert "PIN" in answer["reason"]
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_a_user_without_a_pin_is_told_to_set_one(client_logged_in, funded_wallet, other_wallet):
    answer = transfer(client_logged_in, other_wallet, pin=PIN).json()
    assert answer["error"] == "pin_required" and "Set a 4-digit transaction PIN" in answer["reason"]


def test_a_wrong_pin_gets_403_pin_invalid_and_counts(
    client_logged_in, user, pin_of, funded_wallet, other_wallet
):
    pin_of(user)
    response = transfer(client_logged_in, other_wallet, pin="9999")
    assert response.status_code == 403
    assert response.json() == {
        "status": "failed",
        "error": "pin_invalid",
        "reason": "That PIN is not right. 4 tries left.",
    }
    assert TransactionPin.objects.get(user=user).failed_attempts == 1
    assert balances(other_wallet) == [Decimal("0.00")]


def test_a_malformed_request_costs_no_pin_try(client_logged_in, user, pin_of, funded_wallet):
    pin_of(user)
    response = client_logged_in.post(
        URL, json.dumps({"amount": "1", "pin": "9999"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert TransactionPin.objects.get(user=user).failed_attempts == 0


def test_the_right_pin_sends(client_logged_in, user, pin_of, funded_wallet, other_wallet):
    pin_of(user)
    response = transfer(client_logged_in, other_wallet, pin=PIN)
    assert response.status_code == 201 and "pin" not in response.json()
    assert balances(other_wallet) == [Decimal("250.00")]


def test_with_the_pin_check_off_the_guides_body_sends_as_it_is(
    client_logged_in, funded_wallet, other_wallet, settings
):
    settings.WALLET_PIN_REQUIRED = False
    response = transfer(client_logged_in, other_wallet)
    assert response.status_code == 201 and response.json()["status"] == "success"
    assert balances(other_wallet) == [Decimal("250.00")]


def test_a_pin_sent_as_a_number_is_refused_without_counting(
    client_logged_in, user, pin_of, funded_wallet, other_wallet
):
    pin_of(user)
    response = transfer(client_logged_in, other_wallet, pin=852)
    assert response.status_code == 403 and response.json()["error"] == "pin_invalid"
    assert "string of 4 digits" in response.json()["reason"]
    assert TransactionPin.objects.get(user=user).failed_attempts == 0
