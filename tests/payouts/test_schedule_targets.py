"""Settlement schedules are safe by construction: the processor pays only the schedule's own
wallet's bank account, in its currency, even when the row was re-pointed straight in the
database (issue 11: ₦9,975 of one customer's balance went to another customer's bank)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.payouts.conftest import in_flight
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import BankAccountUnavailable, CurrencyMismatch
from wallet.models import (
    BankAccount,
    Payout,
    Settlement,
    SettlementRun,
    SettlementSchedule,
    TransactionType,
)
from wallet.services.payouts.schedules import process_next_due_schedule
from wallet.services.payouts.transfers import PayoutRequest, reserve_payout
from wallet.services.settlement_service import SettlementService

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(funded_wallet, stored_bank_account):
    created = SettlementService().create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    due = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    SettlementSchedule.objects.filter(pk=created.pk).update(next_settlement=due)
    return created


@pytest.fixture
def someone_elses_account(other_wallet, banks):
    return BankAccount.objects.create(
        wallet=other_wallet,
        bank=banks[1],
        account_number="0123456789",
        account_name="Bob Bello",
        recipient_code="RCP_bobsaccount",
    )


def process_due():
    runs = []
    while (result := process_next_due_schedule(timezone.now())) is not None:
        runs.append(result)
    return [run for run in runs if isinstance(run, SettlementRun)]


def assert_nothing_moved(wallet):
    assert balances(wallet) == [Decimal("10000.00")]
    assert not Settlement.objects.exists() and not Payout.objects.exists()
    assert in_flight() == 0
    assert_ledger_consistent()


def test_a_schedule_pointed_at_another_wallets_account_in_the_database_is_skipped(
    schedule, funded_wallet, someone_elses_account
):
    SettlementSchedule.objects.filter(pk=schedule.pk).update(bank_account=someone_elses_account)

    (run,) = process_due()

    assert run.outcome == "skipped"
    assert run.reason == "The bank account does not belong to this wallet; nothing was sent."
    assert_nothing_moved(funded_wallet)
    assert balances(someone_elses_account.wallet) == [Decimal("0.00")]


def test_a_schedule_whose_account_is_in_another_currency_is_skipped(
    schedule, funded_wallet, stored_bank_account
):
    BankAccount.objects.filter(pk=stored_bank_account.pk).update(currency="USD")

    (run,) = process_due()

    assert run.outcome == "skipped"
    assert run.reason == ("The bank account is in USD and the wallet in NGN; nothing was sent.")
    assert_nothing_moved(funded_wallet)


@pytest.mark.parametrize("currency", [None, "USD"])
def test_reserving_a_payout_to_an_account_not_the_wallets_own_moves_nothing(
    funded_wallet, stored_bank_account, someone_elses_account, currency
):
    account = someone_elses_account
    expected = BankAccountUnavailable
    if currency:
        BankAccount.objects.filter(pk=stored_bank_account.pk).update(currency=currency)
        account, expected = BankAccount.objects.get(pk=stored_bank_account.pk), CurrencyMismatch
    request = PayoutRequest(
        wallet_id=funded_wallet.pk,
        bank_account=account,
        amount=Decimal("1000.00"),
        reason="Settlement",
        transaction_type=TransactionType.SETTLEMENT,
    )

    with pytest.raises(expected):
        reserve_payout(request)

    assert_nothing_moved(funded_wallet)
