"""Fixtures for payouts: banks, bank accounts and money-in-system-accounts helpers."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from wallet.models import Bank, BankAccount, FeeRule, LedgerEntry, SystemAccount

ZENITH = {"name": "Zenith Bank", "code": "057", "slug": "zenith-bank"}
GTBANK = {"name": "Guaranty Trust Bank", "code": "058", "slug": "guaranty-trust-bank"}


# The default payout fees (migration 0002); a transactional test elsewhere may have flushed them.
PAYOUT_BANDS = [
    ("0.00", "5000.00", "10.00"),
    ("5000.01", "50000.00", "25.00"),
    ("50000.01", None, "50.00"),
]


@pytest.fixture
def payout_fee_rules(db):
    for operation in ("withdrawal", "settlement"):
        if not FeeRule.objects.filter(transaction_type=operation).exists():
            for low, high, flat in PAYOUT_BANDS:
                FeeRule.objects.create(
                    transaction_type=operation, min_amount=low, max_amount=high, flat=flat
                )


@pytest.fixture
def funded_wallet(funded_wallet, payout_fee_rules):
    """The core fixture (₦10,000), with the default withdrawal and settlement fees in place."""
    return funded_wallet


@pytest.fixture
def banks(db):
    return [Bank.objects.create(**ZENITH), Bank.objects.create(**GTBANK)]


@pytest.fixture
def stored_bank_account(funded_wallet, banks):
    """A bank account row as `add_bank_account` leaves it, for tests that never call Paystack
    (webhook routing, the schedule processor's bookkeeping)."""
    return BankAccount.objects.create(
        wallet=funded_wallet,
        bank=banks[0],
        account_number="0000000000",
        account_name="Alice Adeyemi",
        recipient_code="RCP_storedfortests",
        is_default=True,
    )


def system_balance(account: str) -> Decimal:
    total = LedgerEntry.objects.filter(system_account=account).aggregate(total=Sum("amount"))
    return total["total"] or Decimal("0.00")


def in_flight() -> Decimal:
    return system_balance(SystemAccount.PAYOUTS_IN_FLIGHT)


def sent_to_paystack() -> Decimal:
    return system_balance(SystemAccount.PAYSTACK)


def fee_revenue() -> Decimal:
    return system_balance(SystemAccount.FEE_REVENUE)


# --- with the Paystack sandbox --------------------------------------------------------------------

SUCCEEDS = "0000000000"  # Zenith (057): "Zenith Test Account", transfers succeed
FAILS = "0000000001"  # transfers to it fail (sandbox rule)
REVERSES = "0000000002"  # transfers to it succeed, then are reversed


@pytest.fixture
def synced_banks(sandbox, db):
    from django.core.management import call_command

    call_command("sync_banks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Bank.objects.all()


@pytest.fixture
def payouts_service(sandbox):
    from wallet.services.wallet_service import WalletService

    return WalletService()


@pytest.fixture
def add_account(payouts_service, synced_banks):
    def add(wallet, account_number=SUCCEEDS, bank_code="057"):
        return payouts_service.add_bank_account(
            wallet=wallet, bank_code=bank_code, account_number=account_number, account_name=None
        )

    return add


@pytest.fixture
def bank_account(funded_wallet, add_account):
    return add_account(funded_wallet)


def sandbox_transfers(sandbox, reference):
    response = sandbox.api("GET", "/transfer", params={"perPage": 100})
    return [t for t in response.json()["data"] if t["reference"] == reference]


@pytest.fixture
def q_sync(monkeypatch):
    """django-q2's async_task runs the task inline (its documented test mode)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture(autouse=True)
def no_transaction_pin(settings):
    """These tests predate the transaction PIN (issue 12) and are about other rules; the PIN
    itself is tested in tests/outflows/ with WALLET_PIN_REQUIRED on."""
    settings.WALLET_PIN_REQUIRED = False
