"""The schedule processor's bookkeeping: each (schedule, period) settles at most once, skipped
periods are recorded with their reason. These stop before Paystack is called (the reserve step);
tests/payouts/test_settlements.py follows the money through the sandbox."""

import threading
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from tests.payouts.conftest import in_flight
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import BankAccountUnavailable, InvalidSchedule
from wallet.models import Settlement, SettlementRun, SettlementSchedule, TransactionStatus
from wallet.services.payouts.schedules import (
    SKIPPED,
    largest_amount_within,
    process_next_due_schedule,
)
from wallet.services.settlement_service import SettlementService

pytestmark = pytest.mark.django_db
service = SettlementService()


def make_due(schedule, minutes_ago=1):
    due = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    SettlementSchedule.objects.filter(pk=schedule.pk).update(next_settlement=due)
    return due


def run_all(now=None):
    now = now or timezone.now()
    results = []
    while (result := process_next_due_schedule(now)) is not None:
        results.append(result)
    return results


def test_a_daily_schedule_is_due_next_at_its_time_of_day(funded_wallet, stored_bank_account):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="daily",
        time_of_day="17:30",
    )
    local = timezone.localtime(schedule.next_settlement)
    assert (local.hour, local.minute) == (17, 30)
    assert timezone.now() < schedule.next_settlement <= timezone.now() + timedelta(days=1)
    assert schedule.is_active and schedule.schedule_type == "daily"


@pytest.mark.parametrize(
    "schedule_type, options, message",
    [
        ("weekly", {}, "day of the week"),
        ("weekly", {"day_of_week": 7}, "day of the week"),
        ("monthly", {"day_of_month": 32}, "day of the month"),
        ("monthly", {"day_of_month": "first"}, "day of the month"),
        ("threshold", {}, "balance to settle at"),
        ("threshold", {"threshold_amount": "-5"}, "positive"),
        ("daily", {"amount_mode": "fixed"}, "fixed amount"),
        ("daily", {"fixed_amount": "10.001", "amount_mode": "fixed"}, "two decimal places"),
        ("daily", {"time_of_day": "25:00"}, "time of day"),
        ("daily", {"minimum_balance": "NaN"}, "positive"),
        ("daily", {"colour": "blue"}, "Unknown schedule option"),
        ("hourly", {}, "one of"),
    ],
)
def test_inconsistent_schedule_options_are_refused(
    funded_wallet, stored_bank_account, schedule_type, options, message
):
    with pytest.raises(InvalidSchedule, match=message):
        service.create_settlement_schedule(
            wallet=funded_wallet,
            bank_account=stored_bank_account,
            schedule_type=schedule_type,
            **options,
        )
    assert SettlementSchedule.objects.count() == 0


def test_a_schedule_to_another_wallets_bank_account_is_refused(other_wallet, stored_bank_account):
    with pytest.raises(BankAccountUnavailable):
        service.create_settlement_schedule(
            wallet=other_wallet, bank_account=stored_bank_account, schedule_type="daily"
        )


def test_running_the_processor_twice_settles_a_period_once(funded_wallet, stored_bank_account):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="daily",
        maximum_amount="3000",
    )
    period = make_due(schedule)
    first, second = run_all(), run_all()
    assert second == []
    (run,) = first
    assert (run.period, run.outcome) == (period, "settled")
    assert (
        run.settlement.amount == Decimal("3000.00")
        and run.settlement.status == TransactionStatus.PENDING
    )
    assert balances(funded_wallet) == [Decimal("6990.00")]  # 3,000 + the 10 fee
    schedule.refresh_from_db()
    assert schedule.next_settlement > timezone.now()
    assert timezone.localtime(schedule.next_settlement).time() == time(9, 0)
    assert_ledger_consistent()


def test_the_database_refuses_a_second_run_for_the_same_period(funded_wallet, stored_bank_account):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    period = make_due(schedule)
    SettlementRun.objects.create(schedule=schedule, period=period, outcome="skipped", reason="test")
    with pytest.raises(IntegrityError):
        SettlementRun.objects.create(
            schedule=schedule, period=period, outcome="skipped", reason="again"
        )


def test_a_period_already_recorded_is_not_settled_again_after_a_rerun(
    funded_wallet, stored_bank_account
):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    period = make_due(schedule)
    run_all()
    SettlementSchedule.objects.filter(pk=schedule.pk).update(
        next_settlement=period
    )  # a replayed period
    assert run_all() == [SKIPPED]
    assert Settlement.objects.count() == 1


def test_all_available_keeps_the_minimum_balance_and_pays_the_fee(
    funded_wallet, stored_bank_account
):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="daily",
        minimum_balance="2000",
    )
    make_due(schedule)
    (run,) = run_all()
    assert run.settlement.amount + run.settlement.fee <= Decimal("8000.00")
    assert run.settlement.amount == Decimal("7975.00")
    assert balances(funded_wallet) == [Decimal("2000.00")]
    assert in_flight() == Decimal("7975.00")


def test_a_fixed_amount_is_settled_each_period(funded_wallet, stored_bank_account):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="weekly",
        day_of_week="friday",
        amount_mode="fixed",
        fixed_amount="1500",
    )
    assert timezone.localtime(schedule.next_settlement).weekday() == 4
    make_due(schedule)
    (run,) = run_all()
    assert run.settlement.amount == Decimal("1500.00")
    assert balances(funded_wallet) == [Decimal("8490.00")]


@pytest.mark.parametrize(
    "setup, reason",
    [
        ({"minimum_balance": "10000"}, "Nothing to settle"),
        ({"amount_mode": "fixed", "fixed_amount": "9995"}, "Not enough to settle"),
    ],
)
def test_a_period_with_nothing_to_settle_is_recorded_as_skipped(
    funded_wallet, stored_bank_account, setup, reason
):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="monthly",
        day_of_month=31,
        **setup,
    )
    make_due(schedule)
    (run,) = run_all()
    assert run.outcome == "skipped" and reason in run.reason
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert Settlement.objects.count() == 0


def test_a_locked_wallet_skips_the_period_with_its_reason(funded_wallet, stored_bank_account):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    funded_wallet.lock()
    make_due(schedule)
    (run,) = run_all()
    assert (run.outcome, run.reason) == ("skipped", "The wallet is locked.")
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_a_removed_bank_account_skips_the_period_with_its_reason(
    funded_wallet, stored_bank_account
):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    make_due(schedule)
    stored_bank_account.is_active = False
    stored_bank_account.save()
    (run,) = run_all()
    assert run.outcome == "skipped" and "no longer available" in run.reason


def test_a_threshold_schedule_settles_only_once_the_balance_passes_it(
    funded_wallet, stored_bank_account
):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="threshold",
        threshold_amount="12000",
        minimum_balance="1000",
    )
    make_due(schedule)
    assert run_all() == [SKIPPED]  # below the threshold: watched, not recorded
    assert SettlementRun.objects.count() == 0
    from wallet.services.wallet_service import WalletService

    WalletService().deposit(wallet=funded_wallet, amount=Decimal("3000"), description="Sales")
    make_due(schedule)
    (run,) = run_all()
    assert run.outcome == "settled" and run.settlement.amount == Decimal("11975.00")
    assert balances(funded_wallet) == [Decimal("1000.00")]


def test_a_paused_schedule_is_not_processed_and_resumes_from_now(
    funded_wallet, stored_bank_account
):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    service.pause_settlement_schedule(schedule)
    make_due(schedule, minutes_ago=60 * 24 * 3)
    assert run_all() == []
    schedule.refresh_from_db()
    service.resume_settlement_schedule(schedule)
    assert schedule.is_active and schedule.next_settlement > timezone.now()
    assert run_all() == []
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_editing_a_schedule_recomputes_its_next_settlement(funded_wallet, stored_bank_account):
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    service.update_settlement_schedule(
        schedule, schedule_type="monthly", day_of_month=1, time_of_day="06:15"
    )
    local = timezone.localtime(schedule.next_settlement)
    assert (local.day, local.hour, local.minute) == (1, 6, 15)


def test_largest_amount_leaves_room_for_the_fee_band_it_falls_in(payout_fee_rules):
    for available in ["5020.00", "5010.00", "50030.00", "100.00", "10.50"]:
        amount = largest_amount_within(Decimal(available))
        fee = (
            Decimal("10") if amount <= 5000 else Decimal("25") if amount <= 50000 else Decimal("50")
        )
        assert amount + fee <= Decimal(available)
    assert largest_amount_within(Decimal("0")) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_settle_each_period_once(funded_wallet, stored_bank_account):
    schedules = [
        service.create_settlement_schedule(
            wallet=funded_wallet,
            bank_account=stored_bank_account,
            schedule_type="daily",
            amount_mode="fixed",
            fixed_amount="100",
        )
        for _ in range(6)
    ]
    for schedule in schedules:
        make_due(schedule)
    barrier, results, errors = threading.Barrier(2), [], []

    def worker():
        try:
            barrier.wait()
            results.extend(run_all())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SettlementRun.objects.count() == 6 == Settlement.objects.count()
    assert sorted(SettlementRun.objects.values_list("schedule_id", flat=True)) == sorted(
        s.pk for s in schedules
    )
    assert balances(funded_wallet) == [Decimal("10000.00") - 6 * Decimal("110.00")]
    assert_ledger_consistent()
