from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from wallet.models import AppendOnlyError, LedgerCheck, LedgerEntry, Wallet
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted_row(funded_wallet):
    return LedgerEntry.objects.filter(wallet=funded_wallet).first()


def test_ledger_rows_cannot_be_changed_through_the_orm(posted_row):
    posted_row.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        posted_row.save()
    with pytest.raises(AppendOnlyError):
        posted_row.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=posted_row.pk).update(amount=Decimal("1.00"))
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE wallet_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM wallet_ledgerentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_of_ledger_rows(posted_row, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, [posted_row.pk])


def test_the_database_refuses_a_negative_balance(funded_wallet):
    with pytest.raises(IntegrityError), transaction.atomic():
        Wallet.objects.filter(pk=funded_wallet.pk).update(balance=Decimal("-0.01"))


def test_check_ledger_passes_on_a_consistent_ledger(funded_wallet, other_wallet, capsys):
    WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount="10"
    )
    call_command("check_ledger")
    assert "Ledger check: OK" in capsys.readouterr().out
    assert LedgerCheck.objects.latest().ok


def test_check_ledger_fails_when_a_cached_balance_drifts(funded_wallet, capsys):
    # Simulate a bug that wrote the cache without a ledger row.
    Wallet.objects.filter(pk=funded_wallet.pk).update(balance=Decimal("10000.01"))
    with pytest.raises(CommandError):
        call_command("check_ledger")
    output = capsys.readouterr().out
    assert f"wallet {funded_wallet.pk} caches 10000.01 but its rows sum to 10000.00" in output
    assert not LedgerCheck.objects.latest().ok


def test_a_daily_schedule_runs_the_ledger_check():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="check ledger daily")
    assert schedule.func == "wallet.tasks.core.check_ledger"
    assert schedule.schedule_type == Schedule.DAILY
