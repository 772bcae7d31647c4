"""Finding 8: one settlement per schedule per calendar period, whatever the edits.

Moving a daily schedule's time after today's run (09:00 -> 10:00) made a second period today."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.payouts.conftest import payout_fee_rules  # noqa: F401 - a fixture used below
from tests.wallet.money import assert_ledger_consistent
from wallet.models import Settlement, SettlementRun, SettlementSchedule, TransactionType
from wallet.services.payouts.schedules import process_next_due_schedule
from wallet.services.payouts.settlements import reserve_settlement
from wallet.services.payouts.transfers import PayoutRequest
from wallet.services.settlement_service import SettlementService

pytestmark = pytest.mark.django_db
service = SettlementService()


def make_due(schedule):
    due = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    SettlementSchedule.objects.filter(pk=schedule.pk).update(next_settlement=due)
    return due


def run_all():
    results = []
    while (result := process_next_due_schedule(timezone.now())) is not None:
        results.append(result)
    return results


@pytest.fixture
def settled_today(funded_wallet, stored_bank_account, payout_fee_rules):  # noqa: F811
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=stored_bank_account,
        schedule_type="daily",
        maximum_amount="1000",
    )
    due = make_due(schedule)
    (run,) = run_all()
    assert run.outcome == "settled"
    schedule.refresh_from_db()
    return schedule, due


def test_moving_the_time_later_today_after_the_run_waits_for_tomorrow(settled_today):
    schedule, due = settled_today
    later_today = (timezone.localtime(due) + timedelta(minutes=2)).time()

    service.update_settlement_schedule(schedule, time_of_day=later_today)

    schedule.refresh_from_db()
    day_of_run = timezone.localtime(due).date()
    assert timezone.localtime(schedule.next_settlement).date() == day_of_run + timedelta(days=1)


def test_a_second_due_time_in_a_settled_day_is_skipped_with_its_reason(settled_today):
    schedule, due = settled_today
    # As an edit made before this fix left it: due again, later the same day.
    SettlementSchedule.objects.filter(pk=schedule.pk).update(
        next_settlement=due + timedelta(seconds=1)
    )

    (run,) = run_all()

    assert run.outcome == "skipped" and "Already settled" in run.reason
    assert Settlement.objects.count() == 1
    assert_ledger_consistent()


def test_the_database_refuses_a_second_settlement_in_one_calendar_period(settled_today):
    schedule, due = settled_today
    first = SettlementRun.objects.get()
    assert first.calendar_period == timezone.localtime(due).strftime("%Y-%m-%d")
    second = reserve_settlement(
        PayoutRequest(
            wallet_id=schedule.wallet_id,
            bank_account=schedule.bank_account,
            amount=Decimal("100.00"),
            reason="a second settlement",
            transaction_type=TransactionType.SETTLEMENT,
        ),
        schedule=schedule,
    )
    with pytest.raises(IntegrityError):
        SettlementRun.objects.create(
            schedule=schedule,
            period=due + timedelta(seconds=1),
            calendar_period=first.calendar_period,
            outcome="settled",
            settlement=second,
        )
