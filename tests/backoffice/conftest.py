"""Fixtures for the back-office tests: the funding and payouts fixtures they build on (a card
deposit paid at the sandbox, bank accounts), and a transfer between two customers."""

from decimal import Decimal

import pytest

from tests.funding.conftest import card_deposit, paid_charge, q_sync, start_charge  # noqa: F401
from tests.payouts.conftest import (  # noqa: F401
    add_account,
    banks,
    funded_wallet,
    payout_fee_rules,
    payouts_service,
    stored_bank_account,
    synced_banks,
)
from wallet.models import AuditEntry
from wallet.services.wallet_service import WalletService


@pytest.fixture(autouse=True)
def _fresh_dashboard_sums():
    """Each test's dashboard sums its own ledger (the page keeps them for a minute)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def transfer(funded_wallet, other_wallet):  # noqa: F811
    """₦`amount` sent from the funded wallet to the other wallet; the sender's row."""

    def send(amount="500.00"):
        return WalletService().transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal(amount)
        )

    return send


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()
