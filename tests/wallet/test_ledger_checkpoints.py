"""System-account balances from a checkpoint plus the rows after it equal the rows summed from
scratch; a checkpoint only covers rows old enough to be committed; the ledger check catches a
checkpoint that disagrees with its rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from wallet.models import LedgerCheckpoint, LedgerEntry, SystemAccount
from wallet.services.ledger import checkpoints
from wallet.services.ledger.check import check_ledger
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def from_scratch() -> dict:
    rows = LedgerEntry.objects.exclude(system_account="").values_list("system_account")
    return dict(rows.annotate(total=Sum("amount")).order_by())


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def test_without_old_enough_rows_there_is_no_checkpoint_and_the_sums_are_exact(funded_wallet):
    assert checkpoints.system_totals("NGN") == from_scratch()
    assert not LedgerCheckpoint.objects.exists()  # every row is younger than SETTLED_AFTER


def test_a_checkpoint_plus_the_rows_after_it_equals_the_full_sum(funded_wallet, other_wallet):
    service = WalletService()
    first = checkpoints.system_totals("NGN", now=later(11))  # the deposit is "settled" now
    checkpoint = LedgerCheckpoint.objects.get()
    assert checkpoint.up_to == LedgerEntry.objects.order_by("-id").first().id
    assert first == from_scratch()

    for amount in ("125.50", "74.50"):
        service.deposit(wallet=other_wallet, amount=Decimal(amount), description="more")
    service.withdraw(wallet=funded_wallet, amount=Decimal("33.33"), description="out")
    totals = checkpoints.system_totals("NGN", now=later(12))

    assert totals == from_scratch()
    assert totals[SystemAccount.PLATFORM] == -(
        Decimal("10000.00") + Decimal("200.00") - Decimal("33.33")
    )
    assert LedgerCheckpoint.objects.count() == 1  # not an hour old yet: rows are added to it
    checkpoints.system_totals("NGN", now=later(75))
    assert LedgerCheckpoint.objects.count() == 2
    assert checkpoints.system_totals("NGN", now=later(76)) == from_scratch()
    assert check_ledger().ok


def test_rows_younger_than_the_margin_are_never_inside_a_checkpoint(funded_wallet):
    checkpoints.system_totals("NGN", now=later(5))  # younger than SETTLED_AFTER: none taken
    assert not LedgerCheckpoint.objects.exists()


def test_the_ledger_check_reports_a_checkpoint_that_disagrees_with_its_rows(funded_wallet):
    up_to = LedgerEntry.objects.order_by("-id").first().id
    LedgerCheckpoint.objects.create(currency="NGN", up_to=up_to, totals={"platform": "-1.00"})

    report = check_ledger()

    assert not report.ok
    assert any(f"checkpoint up to row {up_to}" in problem for problem in report.problems)


def test_the_dashboard_reads_its_system_accounts_through_the_checkpoint(funded_wallet, sandbox):
    from wallet.services.backoffice.dashboard import books

    checkpoints.system_totals("NGN", now=later(11))
    WalletService().deposit(wallet=funded_wallet, amount=Decimal("1.00"), description="after")

    figures = books("NGN")

    assert figures.accounts[SystemAccount.PLATFORM] == from_scratch()[SystemAccount.PLATFORM]
    assert figures.total == Decimal("0.00")
