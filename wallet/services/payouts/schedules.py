"""Settlement schedules: standing instructions, and the processor that runs them.

`process_due_schedules` runs every minute (django-q2): each due schedule row is taken with
`SELECT ... FOR UPDATE SKIP LOCKED`, and every (schedule, period) is recorded once in
SettlementRun (unique), settled or skipped with a reason. Transfers go out after commit.
"""

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import WalletError
from wallet.models import (
    AmountMode,
    Payout,
    ScheduleType,
    SettlementRun,
    SettlementRunOutcome,
    SettlementSchedule,
    TransactionType,
)
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.posting import lock_wallets
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.payouts.schedule_fields import CENT, SCHEDULE_FIELDS, clean_schedule_fields
from wallet.services.payouts.schedule_periods import period_bounds, period_label, settled_within
from wallet.services.payouts.schedule_time import next_settlement
from wallet.services.payouts.settlements import reserve_settlement
from wallet.services.payouts.transfers import PayoutRequest, check_payout_target, send_payout


def create_schedule(wallet, bank_account, schedule_type, **kwargs) -> SettlementSchedule:
    """See SettlementService.create_settlement_schedule."""
    check_payout_target(wallet, bank_account)
    fields = clean_schedule_fields(schedule_type, kwargs)
    schedule = SettlementSchedule(
        wallet=wallet, bank_account=bank_account, schedule_type=schedule_type, **fields
    )
    schedule.next_settlement = compute_next_settlement(schedule, timezone.now())
    schedule.save()
    return schedule


def update_schedule(schedule, bank_account=None, schedule_type=None, **kwargs):
    """See SettlementService.update_settlement_schedule."""
    schedule_type = schedule_type or schedule.schedule_type
    if bank_account is not None:
        check_payout_target(schedule.wallet, bank_account)
        schedule.bank_account = bank_account
    current = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
    fields = clean_schedule_fields(schedule_type, {**current, **kwargs})
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.schedule_type = schedule_type
    schedule.next_settlement = compute_next_settlement(schedule, timezone.now())
    schedule.save()
    return schedule


def pause_schedule(schedule) -> SettlementSchedule:
    schedule.is_active = False
    schedule.save(update_fields=["is_active", "updated_at"])
    return schedule


def resume_schedule(schedule) -> SettlementSchedule:
    """Resume from now on: periods missed while paused are not settled retroactively."""
    check_payout_target(schedule.wallet, schedule.bank_account)
    schedule.is_active = True
    schedule.next_settlement = compute_next_settlement(schedule, timezone.now())
    schedule.save(update_fields=["is_active", "next_settlement", "updated_at"])
    return schedule


def process_due_schedules(paystack, now: datetime | None = None, limit: int = 500) -> list:
    """See SettlementService.process_due_schedules."""
    now = now or timezone.now()
    runs = []
    for _ in range(limit):
        run = process_next_due_schedule(now)
        if run is None:
            break
        if isinstance(run, SettlementRun):
            runs.append(run)
            if run.settlement_id:
                payout = Payout.objects.get(transaction=run.settlement.transaction_id)
                send_payout(paystack, payout)
    return runs


SKIPPED = object()  # a schedule was advanced without a period to record (threshold not reached)


@retry_on_conflict
def process_next_due_schedule(now: datetime):
    """Take one due schedule (skipping rows another worker holds), record its period, advance it.

    Returns the SettlementRun, SKIPPED when there was no period to record, or None when
    nothing is due.
    """
    with db.atomic():
        schedule = (
            SettlementSchedule.objects.select_for_update(skip_locked=True)
            .filter(is_active=True, next_settlement__lte=now)
            .select_related("bank_account", "bank_account__bank")
            .order_by("next_settlement", "pk")
            .first()
        )
        if schedule is None:
            return None
        period = schedule.next_settlement
        schedule.next_settlement = compute_next_settlement(schedule, max(now, period))
        schedule.last_run_at = now
        # Each run moves the clock on; that is bookkeeping, not a configuration change.
        schedule.skip_history_when_saving = True
        schedule.save(update_fields=["next_settlement", "last_run_at", "updated_at"])
        if SettlementRun.objects.filter(schedule=schedule, period=period).exists():
            return SKIPPED
        if _settled_this_period(schedule, period):
            return record_run(schedule, period, reason="Already settled in this period.")
        return run_period(schedule, period)


def run_period(schedule: SettlementSchedule, period: datetime):
    """Decide and record one period of a locked schedule (inside the caller's transaction)."""
    wallet = lock_wallets([schedule.wallet_id])[schedule.wallet_id]
    if (
        schedule.schedule_type == ScheduleType.THRESHOLD
        and wallet.balance < schedule.threshold_amount
    ):
        return SKIPPED
    amount, reason = settlement_amount(schedule, wallet)
    if amount is None:
        return record_run(schedule, period, reason=reason)
    request = PayoutRequest(
        wallet_id=wallet.pk,
        bank_account=schedule.bank_account,
        amount=amount,
        reason=f"Scheduled settlement ({schedule.get_schedule_type_display().lower()})",
        transaction_type=TransactionType.SETTLEMENT,
    )
    try:
        with db.atomic():
            settlement = reserve_settlement(request, schedule=schedule)
    except WalletError as error:
        return record_run(schedule, period, reason=str(error))
    return record_run(schedule, period, settlement=settlement)


def record_run(schedule, period, *, reason="", settlement=None) -> SettlementRun:
    """The unique (schedule, period) row; a second insert for the period fails the transaction."""
    outcome = SettlementRunOutcome.SETTLED if settlement else SettlementRunOutcome.SKIPPED
    return SettlementRun.objects.create(
        schedule=schedule,
        period=period,
        calendar_period=period_label(schedule.schedule_type, period, site_zone()),
        outcome=outcome,
        reason=reason[:200],
        settlement=settlement,
    )


def settlement_amount(schedule: SettlementSchedule, wallet) -> tuple[Decimal | None, str]:
    """How much this period settles, or (None, why not). The wallet row is locked."""
    account = schedule.bank_account
    if wallet.is_locked:
        return None, "The wallet is locked."
    # Safe by construction: a schedule re-pointed behind the forms (admin, SQL) pays nobody.
    if account.wallet_id != schedule.wallet_id:
        return None, "The bank account does not belong to this wallet; nothing was sent."
    if account.currency != wallet.currency:
        return None, (
            f"The bank account is in {account.currency} and the wallet in {wallet.currency}; "
            "nothing was sent."
        )
    if not account.is_active or not account.recipient_code:
        return None, "The bank account is no longer available as a transfer recipient."
    available = wallet.balance - schedule.minimum_balance
    if schedule.amount_mode == AmountMode.FIXED:
        amount = schedule.fixed_amount
    else:
        amount = largest_amount_within(available)
    if schedule.maximum_amount is not None:
        amount = min(amount, schedule.maximum_amount)
    if amount < settings.WALLET_MIN_AMOUNT:
        return None, "Nothing to settle: the balance is at or below the minimum to keep."
    fee = compute_fee(transaction_type=TransactionType.SETTLEMENT, amount=amount).amount
    if amount + fee > available:
        return None, (
            f"Not enough to settle ₦{amount:,.2f} plus a ₦{fee:,.2f} fee "
            "and keep the minimum balance."
        )
    return amount, ""


def largest_amount_within(available: Decimal) -> Decimal:
    """The largest amount whose amount + fee fits in `available` (fees grow with the amount)."""
    if available <= 0:
        return Decimal("0.00")
    fee_type = TransactionType.SETTLEMENT
    amount = (available - compute_fee(transaction_type=fee_type, amount=available).amount).quantize(
        CENT, ROUND_DOWN
    )
    larger = (available - compute_fee(transaction_type=fee_type, amount=amount).amount).quantize(
        CENT, ROUND_DOWN
    )
    if (
        larger > amount
        and larger + compute_fee(transaction_type=fee_type, amount=larger).amount <= available
    ):
        amount = larger
    return max(amount, Decimal("0.00"))


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def compute_next_settlement(schedule: SettlementSchedule, after: datetime) -> datetime:
    """The next due time after `after` in a calendar period not settled yet: an edit of the
    time of day after today's settlement moves the next one to tomorrow, not later today."""
    due = _next_due(schedule, after)
    while schedule.pk and _settled_this_period(schedule, due):
        period_end = period_bounds(schedule.schedule_type, due, site_zone())[1]
        due = _next_due(schedule, period_end - timedelta(microseconds=1))
    return due


def _settled_this_period(schedule: SettlementSchedule, due: datetime) -> bool:
    bounds = period_bounds(schedule.schedule_type, due, site_zone())
    return bounds is not None and settled_within(schedule, bounds)


def _next_due(schedule: SettlementSchedule, after: datetime) -> datetime:
    return next_settlement(
        schedule.schedule_type,
        after=after,
        time_of_day=schedule.time_of_day,
        tz=site_zone(),
        day_of_week=schedule.day_of_week,
        day_of_month=schedule.day_of_month,
    )
