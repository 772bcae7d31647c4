"""Assertions about money shared by the wallet tests."""

from decimal import Decimal

from wallet.models import Wallet
from wallet.services.ledger.check import check_ledger


def assert_ledger_consistent():
    report = check_ledger()
    assert report.ok, report.text()


def balances(*wallets):
    fresh = dict(Wallet.objects.filter(pk__in=[w.pk for w in wallets]).values_list("pk", "balance"))
    return [fresh[w.pk] for w in wallets]


def total_in_wallets():
    return sum(Wallet.objects.values_list("balance", flat=True), Decimal("0"))
