"""Saved cards: charge one into the wallet (credited once, like checkout), list, remove,
choose the default; other users' cards are out of reach."""

from decimal import Decimal

import pytest

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import CardInactive, InvalidAmount
from wallet.models import Card, Transaction, TransactionStatus
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved_card(wallet, paid_charge):
    service = WalletService()
    checkout = paid_charge(wallet, "100.00")
    return service.process_successful_card_charge(
        service.verify_card_charge(checkout["reference"])
    )[2]


def test_charging_a_saved_card_credits_the_wallet_once(wallet, saved_card, delivery, client):
    from tests.funding.conftest import post_webhook

    result = WalletService().charge_saved_card(card=saved_card, amount=Decimal("2500.00"))

    assert result["status"] == "success" and result["amount"] == "2500.00"
    assert "authorization_code" not in str(result)
    tx = Transaction.objects.get(pk=result["transaction_id"])
    assert tx.status == TransactionStatus.SUCCESS and tx.metadata["card_id"] == saved_card.pk
    sent = delivery("charge.success", result["reference"])  # Paystack's webhook, later
    assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200
    assert balances(wallet) == [Decimal("2600.00")]
    assert_ledger_consistent()


def test_a_removed_card_cannot_be_charged(wallet, saved_card):
    service = WalletService()
    service.deactivate_card(saved_card)

    with pytest.raises(CardInactive):
        service.charge_saved_card(card=saved_card, amount=Decimal("50.00"))
    assert balances(wallet) == [Decimal("100.00")]
    assert not Card.objects.filter(is_active=True).exists()


def test_a_bad_amount_on_a_saved_card_moves_nothing(wallet, saved_card):
    with pytest.raises(InvalidAmount):
        WalletService().charge_saved_card(card=saved_card, amount="-1")
    assert Transaction.objects.count() == 1


def test_choosing_the_default_card_keeps_exactly_one_default(wallet, saved_card):
    other = Card.objects.create(
        wallet=wallet,
        authorization_code="AUTH_x",
        signature="SIG_other",
        email="a@b.c",
        last4="1111",
    )
    service = WalletService()

    service.set_default_card(other)

    assert list(wallet.cards.filter(is_default=True)) == [other]
    service.deactivate_card(other)
    assert list(wallet.cards.filter(is_default=True)) == [saved_card]


def test_the_cards_page_lists_cards_and_charges_one(client_logged_in, wallet, saved_card):
    page = client_logged_in.get("/wallet/cards/")
    assert page.status_code == 200 and b"4081" in page.content

    response = client_logged_in.post(
        f"/wallet/cards/{saved_card.pk}/charge/", {"amount": "300"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200 and "walletChanged" in response["HX-Trigger"]
    assert balances(wallet) == [Decimal("400.00")]


def test_an_invalid_amount_re_renders_the_card_form_with_422(client_logged_in, saved_card):
    response = client_logged_in.post(
        f"/wallet/cards/{saved_card.pk}/charge/", {"amount": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422 and b"greater than zero" in response.content


def test_another_users_card_is_404_on_every_card_route(client, other_user, saved_card):
    client.force_login(other_user)
    for action in ("charge", "remove", "default"):
        response = client.post(f"/wallet/cards/{saved_card.pk}/{action}/", {"amount": "10"})
        assert response.status_code == 404
    saved_card.refresh_from_db()
    assert saved_card.is_active


def test_a_paused_2fa_answer_sends_the_payer_to_the_bank_and_credits_once_after(
    wallet, paid_charge, sandbox, delivery, client, q_sync
):
    from tests.funding.conftest import PIN_OTP_CARD, post_webhook

    service = WalletService()
    first = paid_charge(wallet, "100.00", card=PIN_OTP_CARD)
    card = service.process_successful_card_charge(service.verify_card_charge(first["reference"]))[2]

    answer = service.charge_saved_card(card=card, amount=Decimal("800.00"))

    assert answer["status"] == "paused" and answer["authorization_url"].startswith(sandbox.base_url)
    assert Transaction.objects.get(reference=answer["reference"]).status == "pending"
    assert balances(wallet) == [Decimal("100.00")]
    sandbox.complete_checkout(answer["authorization_url"], card=PIN_OTP_CARD)
    sent = delivery("charge.success", answer["reference"])
    for _ in range(2):
        post_webhook(client, sent["body"], sent["signature"])
    assert balances(wallet) == [Decimal("900.00")]
    assert_ledger_consistent()
