import json
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import IdempotencyKey, Transaction

URL = "/wallet/api/wallets/default/transfer/"
pytestmark = pytest.mark.django_db


def post(client, body, key=None, raw=None):
    headers = {"Idempotency-Key": key} if key else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers=headers)


def test_transfer_answers_with_the_transaction(client_logged_in, funded_wallet, other_wallet):
    body = {"destination_wallet_id": other_wallet.pk, "amount": 1500.5, "description": "Rent"}

    response = post(client_logged_in, body)

    answer = response.json()
    sent = Transaction.objects.get(pk=answer["transaction_id"])
    assert response.status_code == 201
    assert answer == {
        "status": "success",
        "transaction_id": sent.pk,
        "reference": sent.reference,
        "amount": "1500.50",
        "fee": "0.00",
        "currency": "NGN",
        "description": "Rent",
        "created_at": sent.created_at.isoformat(),
        "destination_wallet_id": other_wallet.pk,
    }
    assert balances(funded_wallet, other_wallet) == [Decimal("8499.50"), Decimal("1500.50")]
    assert_ledger_consistent()


@pytest.mark.parametrize(
    ("amount", "status"),
    [
        ("-1", 422),
        (0, 422),
        ("NaN", 422),
        ("Infinity", 422),
        ("1e9999", 422),
        ("10.001", 422),
        ("ten", 422),
        (True, 422),
        ([5], 422),
        ("99999999999", 422),
        (None, 400),
    ],
)
def test_bad_amounts_are_refused_and_move_nothing(
    client_logged_in, funded_wallet, other_wallet, amount, status
):
    response = post(client_logged_in, {"destination_wallet_id": other_wallet.pk, "amount": amount})

    assert response.status_code == status
    assert response.json()["status"] == "failed" and response.json()["reason"]
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


@pytest.mark.parametrize(
    ("make_body", "status", "error"),
    [
        (lambda me, them: {"destination_wallet_id": 99999, "amount": "5"}, 404, "wallet_not_found"),
        (lambda me, them: {"destination_wallet_id": me.pk, "amount": "5"}, 422, "same_wallet"),
        (lambda me, them: {"destination_wallet_id": "x1", "amount": "5"}, 422, "invalid_request"),
        (lambda me, them: {"amount": "5"}, 400, "invalid_request"),
        (
            lambda me, them: {"destination_wallet_id": them.pk, "amount": "10000.01"},
            402,
            "insufficient_funds",
        ),
    ],
)
def test_refusals_have_a_clear_status_and_reason(
    client_logged_in, funded_wallet, other_wallet, make_body, status, error
):
    response = post(client_logged_in, make_body(funded_wallet, other_wallet))

    assert response.status_code == status and response.json()["error"] == error
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_locked_wallets_answer_423(client_logged_in, funded_wallet, other_wallet):
    other_wallet.lock()

    response = post(client_logged_in, {"destination_wallet_id": other_wallet.pk, "amount": "5"})

    assert response.status_code == 423 and "locked" in response.json()["reason"]


def test_malformed_json_is_400(client_logged_in, funded_wallet):
    assert post(client_logged_in, None, raw="{not json").status_code == 400
    assert post(client_logged_in, None, raw="[1, 2]").status_code == 400


def test_login_is_required(client, other_wallet):
    response = post(client, {"destination_wallet_id": other_wallet.pk, "amount": "5"})

    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"


def test_get_is_not_allowed(client_logged_in):
    assert client_logged_in.get(URL).status_code == 405


def test_csrf_token_is_required(user, funded_wallet, other_wallet):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = json.dumps({"destination_wallet_id": other_wallet.pk, "amount": "5"})

    refused = client.post(URL, body, content_type="application/json")
    client.get("/wallet/")  # sets the csrftoken cookie, as the guide's getCsrfToken() reads it
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        URL, body, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"
    assert accepted.status_code == 201
    assert balances(funded_wallet, other_wallet) == [Decimal("9995.00"), Decimal("5.00")]


def test_transfers_are_rate_limited(client_logged_in, funded_wallet, other_wallet, settings):
    settings.WALLET_TRANSFER_RATE_LIMIT = "3/m"
    body = {"destination_wallet_id": other_wallet.pk, "amount": "1"}

    statuses = [post(client_logged_in, body).status_code for _ in range(4)]

    assert statuses == [201, 201, 201, 429]
    assert balances(funded_wallet, other_wallet) == [Decimal("9997.00"), Decimal("3.00")]


# --- Idempotency-Key ----------------------------------------------------------------------------


def test_same_key_and_body_replays_the_first_answer(client_logged_in, funded_wallet, other_wallet):
    body = {"destination_wallet_id": other_wallet.pk, "amount": "100"}

    first = post(client_logged_in, body, key="order-42")
    second = post(client_logged_in, body, key="order-42")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert balances(funded_wallet, other_wallet) == [Decimal("9900.00"), Decimal("100.00")]


def test_same_key_with_another_body_is_refused(client_logged_in, funded_wallet, other_wallet):
    post(client_logged_in, {"destination_wallet_id": other_wallet.pk, "amount": "100"}, key="k1")

    response = post(
        client_logged_in, {"destination_wallet_id": other_wallet.pk, "amount": "200"}, key="k1"
    )

    assert response.status_code == 422 and response.json()["error"] == "idempotency_key_reused"
    assert balances(funded_wallet, other_wallet) == [Decimal("9900.00"), Decimal("100.00")]


def test_keys_belong_to_one_user(client, user, other_user, funded_wallet, other_wallet):
    body = {"destination_wallet_id": other_wallet.pk, "amount": "10"}
    client.force_login(user)
    post(client, body, key="shared")
    client.force_login(other_user)

    response = post(client, {"destination_wallet_id": funded_wallet.pk, "amount": "10"}, "shared")

    assert response.status_code == 201
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_a_refusal_for_a_transient_reason_can_be_retried_with_the_same_key(
    client_logged_in, funded_wallet, other_wallet
):
    other_wallet.lock()
    body = {"destination_wallet_id": other_wallet.pk, "amount": "10"}
    locked = post(client_logged_in, body, key="retry-me")
    other_wallet.unlock()

    retried = post(client_logged_in, body, key="retry-me")

    assert locked.status_code == 423 and retried.status_code == 201
    assert balances(funded_wallet, other_wallet) == [Decimal("9990.00"), Decimal("10.00")]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_move_money_once(user, funded_wallet, other_wallet):
    body = {"destination_wallet_id": other_wallet.pk, "amount": "250"}
    barrier = threading.Barrier(6)
    statuses = []

    def attempt():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            statuses.append(post(client, body, key="double-click").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
    assert balances(funded_wallet, other_wallet) == [Decimal("9750.00"), Decimal("250.00")]
    assert Transaction.objects.filter(wallet=other_wallet).count() == 1
    assert IdempotencyKey.objects.get(key="double-click").status_code == 201
    assert_ledger_consistent()


def test_keys_older_than_a_day_are_forgotten(client_logged_in, funded_wallet, other_wallet):
    from datetime import timedelta

    from django.utils import timezone

    from wallet.tasks.api import prune_idempotency_keys

    body = {"destination_wallet_id": other_wallet.pk, "amount": "10"}
    post(client_logged_in, body, key="old")
    post(client_logged_in, body, key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    assert prune_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    again = post(client_logged_in, body, key="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert balances(funded_wallet, other_wallet) == [Decimal("9980.00"), Decimal("20.00")]
