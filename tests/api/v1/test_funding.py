"""Card top-up through v1 (initialize, pay at the sandbox checkout, verify: credited once),
saved cards (list, charge, make default, remove), the dedicated account; another user's
card is a 404."""

import pytest

from tests.api.v1.conftest import failed
from tests.funding.conftest import DECLINED_CARD
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Card, Transaction, TransactionStatus

pytestmark = pytest.mark.django_db


def _top_up(api, sandbox, amount="2500.00", card=None):
    started = api.post("me/deposits/", {"amount": amount}).json()
    paid = sandbox.complete_checkout(
        started["authorization_url"], **({"card": card} if card else {})
    )
    return started, paid


def test_a_card_top_up_is_credited_once_however_often_it_is_verified(api, wallet, sandbox):
    started, paid = _top_up(api, sandbox)

    first = api.post("me/deposits/verify/", {"reference": started["reference"]})
    again = api.post("me/deposits/verify/", {"reference": started["reference"]})

    assert started["status"] == "pending" and started["amount"] == "2500.00"
    assert paid == "success"
    assert first.status_code == 200 and first.json()["credited"] is True
    assert again.json()["credited"] is True
    assert first.json()["transaction"]["status"] == "success"
    assert balances(wallet) == [2500]
    assert_ledger_consistent()


def test_a_declined_card_is_not_credited(api, wallet, sandbox):
    started, paid = _top_up(api, sandbox, card=DECLINED_CARD)

    body = api.post("me/deposits/verify/", {"reference": started["reference"]}).json()

    assert paid == "failed" and body["credited"] is False
    assert body["transaction"]["status"] == "failed"
    assert balances(wallet) == [0]


def test_an_unpaid_top_up_stays_pending(api, wallet, sandbox):
    started = api.post("me/deposits/", {"amount": "100"}).json()

    body = api.post("me/deposits/verify/", {"reference": started["reference"]}).json()

    assert body["credited"] is False and body["transaction"]["status"] == "pending"


def test_verifying_another_users_deposit_is_404(api, other_api, wallet, other_wallet, sandbox):
    started, _ = _top_up(other_api, sandbox)

    failed(api.post("me/deposits/verify/", {"reference": started["reference"]}), 404)
    failed(api.post("me/deposits/verify/", {"reference": "nope"}), 404)
    assert balances(wallet, other_wallet) == [0, 0]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount": "0"}, 422),
        ({"amount": "1e5"}, 422),
        ({}, 400),
        ({"amount": "10", "callback_url": "https://evil.example/steal"}, 422),
        ({"amount": "10", "callback_url": "//evil.com"}, 422),
    ],
)
def test_bad_top_ups_are_refused_and_start_nothing(api, wallet, sandbox, body, status):
    failed(api.post("me/deposits/", body), status)
    assert not Transaction.objects.exists()


def test_an_unreachable_gateway_is_a_4xx(api, wallet, sandbox):
    sandbox.fault("/transaction/initialize", "500", times=None)

    failed(api.post("me/deposits/", {"amount": "100"}), 424, "gateway_unavailable")


@pytest.fixture
def saved_card(api, wallet, sandbox):
    started, _ = _top_up(api, sandbox, amount="100")
    api.post("me/deposits/verify/", {"reference": started["reference"]})
    return Card.objects.get(wallet=wallet)


def test_saved_cards_are_listed_without_secrets(api, saved_card):
    cards = api.get("me/cards/").json()

    assert [card["id"] for card in cards] == [saved_card.pk]
    assert cards[0]["last4"] == saved_card.last4 and cards[0]["is_default"] is True
    assert "authorization_code" not in cards[0] and saved_card.authorization_code not in str(cards)


def test_charging_a_saved_card_credits_the_wallet(api, wallet, saved_card):
    response = api.post(f"me/cards/{saved_card.pk}/charge/", {"amount": "400"})

    assert response.status_code == 201 and response.json()["status"] == "success"
    assert balances(wallet) == [500]
    assert_ledger_consistent()


def test_make_default_and_remove_a_card(api, wallet, saved_card):
    made = api.post(f"me/cards/{saved_card.pk}/default/")
    removed = api.delete(f"me/cards/{saved_card.pk}/")

    assert made.status_code == 200 and made.json()["is_default"] is True
    assert removed.status_code == 204
    assert api.get("me/cards/").json() == []
    failed(api.post(f"me/cards/{saved_card.pk}/charge/", {"amount": "5"}), 404)


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("delete", ""), ("post", "default/"), ("post", "charge/")],
)
def test_another_users_card_is_404(other_api, saved_card, other_wallet, method, suffix):
    path = f"me/cards/{saved_card.pk}/{suffix}"
    response = getattr(other_api, method)(path, *([{"amount": "5"}] if method == "post" else []))

    failed(response, 404)
    saved_card.refresh_from_db()
    assert saved_card.is_active and balances(other_wallet) == [0]


def test_the_dedicated_account_is_made_once(api, wallet, sandbox):
    missing = api.get("me/dedicated-account/")
    made = api.post("me/dedicated-account/")
    again = api.post("me/dedicated-account/")

    failed(missing, 404)
    assert made.status_code == 201 and made.json()["account_number"]
    assert again.json()["account_number"] == made.json()["account_number"]
    assert api.get("me/dedicated-account/").json() == made.json()


def test_the_guide_callback_url_credits_once_and_shows_the_result_page(
    client_logged_in, wallet, sandbox
):
    from wallet.services.wallet_service import WalletService

    checkout = WalletService().initialize_card_charge(
        wallet=wallet,
        amount="750",
        email=wallet.user.email,
        callback_url="http://testserver/payment/callback/",
    )
    paid = sandbox.complete_checkout(checkout["authorization_url"])

    first = client_logged_in.get(paid.redirect_url.replace("http://testserver", ""))
    again = client_logged_in.get(paid.redirect_url.replace("http://testserver", ""))

    assert "/payment/callback/?trxref=" in paid.redirect_url
    assert first.status_code == 200 and again.status_code == 200
    assert "wallet/deposit/callback.html" in [t.name for t in first.templates]
    assert balances(wallet) == [750]
    tx = Transaction.objects.get(reference=checkout["reference"])
    assert tx.status == TransactionStatus.SUCCESS
    assert tx.ledger_entries.filter(wallet=wallet).count() == 1
