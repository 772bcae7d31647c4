"""Finding 10: a deposit below Paystack's minimum (₦50) is refused here, before Paystack: no
transaction row, and never Paystack's own "Invalid Amount Sent"."""

from decimal import Decimal

import pytest

from wallet.exceptions import InvalidAmount
from wallet.models import Transaction
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
CALLBACK_URL = "http://testserver/wallet/deposit/callback/"


def test_the_service_refuses_a_card_deposit_below_the_gateway_minimum(wallet, sandbox):
    with pytest.raises(InvalidAmount, match="smallest card payment is ₦50.00"):
        WalletService().initialize_card_charge(
            wallet=wallet, amount=Decimal("20"), email=wallet.user.email, callback_url=CALLBACK_URL
        )
    assert not Transaction.objects.exists()


def test_the_minimum_itself_is_accepted(wallet, sandbox):
    checkout = WalletService().initialize_card_charge(
        wallet=wallet, amount=Decimal("50"), email=wallet.user.email, callback_url=CALLBACK_URL
    )
    assert checkout["authorization_url"]


def test_the_deposit_page_says_the_minimum_and_adds_no_history_row(client_logged_in, sandbox):
    response = client_logged_in.post("/wallet/deposit/", {"amount": "20"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "smallest card payment is ₦50.00" in page and "Invalid Amount Sent" not in page
    assert not Transaction.objects.exists()


def test_the_api_answers_422_without_a_row(client_logged_in, sandbox):
    response = client_logged_in.post(
        "/wallet/api/wallets/default/deposit/", {"amount": "20"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["error"] == "invalid_amount"
    assert "Invalid Amount" not in response.json()["reason"]
    assert not Transaction.objects.exists()


def test_a_saved_card_charge_below_the_minimum_is_refused_before_paystack(wallet, sandbox):
    from tests.funding.conftest import SUCCESS_CARD

    service = WalletService()
    checkout = service.initialize_card_charge(
        wallet=wallet, amount=Decimal("100"), email=wallet.user.email, callback_url=CALLBACK_URL
    )
    sandbox.complete_checkout(checkout["authorization_url"], card=SUCCESS_CARD)
    card = service.process_successful_card_charge(
        service.verify_card_charge(checkout["reference"])
    )[2]
    rows = Transaction.objects.count()

    with pytest.raises(InvalidAmount, match="₦50.00"):
        service.charge_saved_card(card=card, amount=Decimal("20"))

    assert Transaction.objects.count() == rows
