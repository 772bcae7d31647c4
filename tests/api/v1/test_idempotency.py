"""Idempotency-Key on every money POST of v1, with the guide endpoints' semantics: the same
key and body replays the first answer, another body is refused, and concurrent requests with
one key execute once (PostgreSQL, real threads)."""

import json
import threading
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from tests.api.v1.conftest import Api, failed, token_api
from tests.api.v1.idempotency_support import added, footprint
from tests.payouts.conftest import SUCCEEDS
from wallet.models import (
    Card,
    IdempotencyKey,
    Transaction,
)
from wallet.services.wallet_service import WalletService


@dataclass
class MoneyPost:
    path: str
    body: dict
    other_body: dict
    creates: tuple  # what one execution adds: (transactions, bank accounts, dedicated accounts)


def _saved_card(wallet, sandbox):
    service = WalletService()
    checkout = service.initialize_card_charge(
        wallet=wallet, amount="100", email=wallet.user.email, callback_url=None
    )
    sandbox.complete_checkout(checkout["authorization_url"])
    service.settle_card_charge(checkout["reference"], wallet=wallet)
    return Card.objects.get(wallet=wallet)


def _pending_deposit(wallet):
    checkout = WalletService().initialize_card_charge(
        wallet=wallet, amount="100", email=wallet.user.email, callback_url=None
    )
    return checkout["reference"]


MONEY_POSTS = [
    "transfer",
    "deposit",
    "deposit verify",
    "card charge",
    "dedicated account",
    "bank account",
    "withdrawal",
    "settlement",
]


@pytest.fixture(params=MONEY_POSTS)
def money_post(request, sandbox, funded_wallet, other_wallet, synced_banks):
    wallet = funded_wallet
    kind = request.param
    if kind == "transfer":
        target = other_wallet.public_code
        return MoneyPost(
            "me/transfers/",
            {"recipient": target, "amount": "5"},
            {"recipient": target, "amount": "6"},
            (2, 0, 0),  # the sender's debit and the receiver's credit
        )
    if kind == "deposit":
        return MoneyPost("me/deposits/", {"amount": "50"}, {"amount": "51"}, (1, 0, 0))
    if kind == "deposit verify":
        first, second = _pending_deposit(wallet), _pending_deposit(wallet)
        return MoneyPost(
            "me/deposits/verify/", {"reference": first}, {"reference": second}, (0, 0, 0)
        )
    if kind == "card charge":
        card = _saved_card(wallet, sandbox)
        return MoneyPost(
            f"me/cards/{card.pk}/charge/", {"amount": "400"}, {"amount": "401"}, (1, 0, 0)
        )
    if kind == "dedicated account":
        return MoneyPost("me/dedicated-account/", {}, {"again": True}, (0, 0, 1))
    if kind == "bank account":
        return MoneyPost(
            "me/bank-accounts/",
            {"bank_code": "057", "account_number": SUCCEEDS},
            {"bank_code": "058", "account_number": SUCCEEDS},
            (0, 1, 0),
        )
    account = WalletService().add_bank_account(
        wallet=wallet, bank_code="057", account_number=SUCCEEDS
    )
    path = "me/withdrawals/" if kind == "withdrawal" else "me/settlements/"
    return MoneyPost(
        path,
        {"bank_account_id": account.pk, "amount": "100"},
        {"bank_account_id": account.pk, "amount": "101"},
        (1, 0, 0),
    )


@pytest.mark.django_db
def test_the_same_key_and_body_replays_the_first_answer(api, money_post):
    before = footprint()
    first = api.post(money_post.path, money_post.body, key="key-1")
    after_first = footprint()

    again = api.post(money_post.path, money_post.body, key="key-1")

    assert first.status_code in (200, 201), first.json()
    assert again.status_code == first.status_code and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert footprint() == after_first and added(before, after_first) == money_post.creates


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(api, money_post):
    api.post(money_post.path, money_post.body, key="key-1")
    after_first = footprint()

    response = api.post(money_post.path, money_post.other_body, key="key-1")

    failed(response, 422, "idempotency_key_reused")
    assert footprint() == after_first


@pytest.mark.django_db
def test_a_refusal_is_replayed_too(api, funded_wallet, other_wallet):
    body = {"recipient": other_wallet.public_code, "amount": "99999"}

    first = api.post("me/transfers/", body, key="too-much")
    again = api.post("me/transfers/", body, key="too-much")

    failed(first, 402)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_key_longer_than_255_characters_is_400(api, funded_wallet, other_wallet):
    body = {"recipient": other_wallet.public_code, "amount": "5"}

    failed(api.post("me/transfers/", body, key="k" * 256), 400, "invalid_request")
    assert not Transaction.objects.filter(wallet=funded_wallet, direction="debit").exists()


@pytest.mark.django_db
def test_a_refused_scope_or_throttle_is_not_remembered(user, funded_wallet, other_wallet):
    body = {"recipient": other_wallet.public_code, "amount": "5"}

    token_api(user, "read").post("me/transfers/", body, key="k")

    assert not IdempotencyKey.objects.exists()
    assert token_api(user, "money").post("me/transfers/", body, key="k").status_code == 201


def caller_for(user, money_post):
    """A money token; a re-authenticated session where a token may not (adding a bank account)."""
    if money_post.path != "me/bank-accounts/":
        return token_api(user, "money")
    client = Client()
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    return Api(client)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_execute_once(user, money_post):
    before = footprint()
    callers = [caller_for(user, money_post) for _ in range(4)]
    answers, start = [], threading.Barrier(len(callers))

    def call(api):
        try:
            start.wait()
            answers.append(api.post(money_post.path, money_post.body, key="same-key"))
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(api,)) for api in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(answer.status_code for answer in answers)
    done = [answer for answer in answers if answer.status_code in (200, 201)]
    assert set(codes) <= {200, 201, 409}, [a.json() for a in answers]
    # One answer, whoever got it: the live one or its replay (PostgreSQL's jsonb keeps the
    # stored answer's keys in its own order, so compare the JSON, not its text).
    assert len({json.dumps(answer.json(), sort_keys=True) for answer in done}) == 1
    replayed = sum(answer.headers.get("Idempotent-Replayed") == "true" for answer in done)
    assert len(done) - replayed == 1  # exactly one execution; the rest replay or wait (409)
    assert added(before, footprint()) == money_post.creates
    assert IdempotencyKey.objects.get(key="same-key").is_complete
