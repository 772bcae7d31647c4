"""Fixtures for the outflow-safety tests: the funding and payout fixtures, and a known PIN."""

import pytest
from django.core.cache import cache

from tests.funding.conftest import delivery, paid_charge, start_charge  # noqa: F401
from tests.payouts.conftest import (  # noqa: F401
    add_account,
    bank_account,
    banks,
    funded_wallet,
    payout_fee_rules,
    payouts_service,
    q_sync,
    synced_banks,
)
from wallet.services.outflows.pin import set_first_pin

PIN = "2580"[::-1]  # "0852": not a guessable PIN


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pin_of(db):
    """Give a user the transaction PIN `PIN`; returns it."""

    def give(user, pin=PIN):
        set_first_pin(user, pin)
        return pin

    return give


@pytest.fixture
def rich_wallet(wallet):
    """₦300,000 (Tier 1's cap) through the platform account (internal deposits are not capped)."""
    from decimal import Decimal

    from wallet.services.wallet_service import WalletService

    WalletService().deposit(wallet=wallet, amount=Decimal("300000.00"), description="Test funds")
    return wallet
