"""Fixtures for the funding tests: card charges started through the service and paid at the
sandbox's checkout, webhook deliveries replayed from the sandbox, django-q2 run inline."""

from decimal import Decimal

import pytest
from django_q.conf import Conf

from wallet.services.wallet_service import WalletService

CALLBACK_URL = "http://testserver/wallet/deposit/callback/"
SUCCESS_CARD = "4084084084084081"
DECLINED_CARD = "4084080000005408"
PIN_OTP_CARD = "5060666666666666666"
REFUND_FAILS_CARD = "4084080000671803"


@pytest.fixture
def q_sync(monkeypatch):
    """django-q2's async_task runs the task inline (its documented test mode)."""
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def start_charge(sandbox):
    """Start a card charge into `wallet` for `amount` (Decimal string); returns the
    initialize answer (authorization_url, access_code, reference)."""

    def start(wallet, amount="5000.00"):
        return WalletService().initialize_card_charge(
            wallet=wallet,
            amount=Decimal(amount),
            email=wallet.user.email,
            callback_url=CALLBACK_URL,
        )

    return start


@pytest.fixture
def paid_charge(sandbox, start_charge):
    """A charge started and paid with `card` at the sandbox; returns the initialize answer."""

    def pay(wallet, amount="5000.00", card=SUCCESS_CARD):
        checkout = start_charge(wallet, amount)
        result = sandbox.complete_checkout(checkout["authorization_url"], card=card)
        checkout["result"] = result
        return checkout

    return pay


@pytest.fixture
def card_deposit(wallet, paid_charge):
    """A card deposit into `wallet`, paid and credited; returns its Transaction."""

    def make(amount="1000.00", card=None):
        service = WalletService()
        kwargs = {"card": card} if card else {}
        checkout = paid_charge(wallet, amount, **kwargs)
        return service.process_successful_card_charge(
            service.verify_card_charge(checkout["reference"])
        )[1]

    return make


@pytest.fixture
def delivery(sandbox):
    """The sandbox's signed webhook delivery (exact raw body + signature) for an event; with
    no webhook URL configured the sandbox keeps it for the test to send."""

    def find(event, reference):
        return sandbox.wait_for_delivery(event, reference=reference, status="no_url")

    return find


def post_webhook(client, body, signature, **extra):
    if isinstance(body, str):
        body = body.encode()
    return client.generic(
        "POST",
        "/wallet/webhook/",
        body,
        content_type="application/json",
        HTTP_X_PAYSTACK_SIGNATURE=signature,
        **extra,
    )
