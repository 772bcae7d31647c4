"""Fixtures for pay anyone (issue 24): the payout fixtures (sandbox banks, fees) and a second
customer's wallet with money."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from tests.funding.conftest import delivery  # noqa: F401  (fixture)
from tests.payouts.conftest import (  # noqa: F401  (fixtures)
    add_account,
    bank_account,
    funded_wallet,
    no_transaction_pin,
    payout_fee_rules,
    payouts_service,
    q_sync,
    synced_banks,
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def funded_other_wallet(other_wallet):
    from wallet.services.wallet_service import WalletService

    WalletService().deposit(wallet=other_wallet, amount=Decimal("10000"))
    other_wallet.refresh_from_db()
    return other_wallet
