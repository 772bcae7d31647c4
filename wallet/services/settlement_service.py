"""Settlements: money sent from a wallet to its bank account, on request or by a schedule.

A settlement is a payout (wallet/services/payouts/) with a Settlement row beside its
Transaction, so it shares the reserve -> send -> record machinery, the webhooks and the
reconcile job. Schedules are processed by `process_due_schedules` (a django-q2 schedule every
minute): each due schedule row is taken with `SELECT ... FOR UPDATE SKIP LOCKED`, and every
(schedule, period) is recorded once in SettlementRun (unique), settled or skipped with a reason.
"""

import logging
from datetime import datetime, time
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import InvalidSchedule, SettlementNotRetryable, WalletError
from wallet.models import (
    AmountMode,
    Payout,
    ScheduleType,
    Settlement,
    SettlementRun,
    SettlementRunOutcome,
    SettlementSchedule,
    TransactionStatus,
    TransactionType,
)
from wallet.services import payouts
from wallet.services.fees import compute_fee
from wallet.services.ledger import lock_wallets
from wallet.services.limits import check_amount
from wallet.services.retry import retry_on_conflict
from wallet.services.schedule_time import next_settlement

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = {
    "time_of_day",
    "day_of_week",
    "day_of_month",
    "threshold_amount",
    "amount_mode",
    "fixed_amount",
    "minimum_balance",
    "maximum_amount",
    "is_active",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CENT = Decimal("0.01")


class SettlementService:
    """`create_settlement`, `verify_settlement`, `retry_settlement`, the schedule CRUD and
    `process_due_schedules`. Paystack is reached through `paystack` (built lazily)."""

    def __init__(self, paystack=None):
        self._paystack = paystack

    @property
    def paystack(self):
        if self._paystack is None:
            from wallet.paystack import PaystackClient

            self._paystack = PaystackClient()
        return self._paystack

    # --- one-off settlements --------------------------------------------------------------------

    def create_settlement(self, wallet, bank_account, amount, reason=None, reference=None):
        """Settle `amount` to `bank_account`: the wallet is debited amount + fee at once and the
        transfer sent after commit. Returns the Settlement (status as Paystack answered).

        Raises InvalidAmount, BankAccountUnavailable, CurrencyMismatch, WalletLocked,
        InsufficientFunds, LimitExceeded, DuplicateReference; then nothing moved.
        """
        amount = check_amount(amount)
        payouts.check_payout_target(wallet, bank_account)
        request = payouts.PayoutRequest(
            wallet_id=wallet.pk,
            bank_account=bank_account,
            amount=amount,
            reason=(reason or "Manual settlement").strip(),
            transaction_type=TransactionType.SETTLEMENT,
            reference=reference,
        )
        original = payouts.existing_payout_for_reference(reference, request)
        if original is not None:
            return Settlement.objects.get(transaction=original)
        settlement = reserve_settlement(request)
        payouts.send_after_commit(self.paystack, settlement.transaction)
        return refreshed(settlement)

    def verify_settlement(self, settlement) -> Settlement:
        """Ask Paystack where the transfer stands and move the settlement to match."""
        payouts.reconcile_payout(
            self.paystack, Payout.objects.get(transaction=settlement.transaction_id)
        )
        return refreshed(settlement)

    def retry_settlement(self, settlement) -> Settlement:
        """Pay a failed or reversed settlement again: a new transfer with a new reference (the
        old one is final), linked to the first. Raises SettlementNotRetryable."""
        settlement = Settlement.objects.select_related("transaction", "bank_account").get(
            pk=settlement.pk
        )
        if settlement.status not in (TransactionStatus.FAILED, TransactionStatus.REVERSED):
            raise SettlementNotRetryable("Only a failed or reversed settlement can be retried.")
        if Settlement.objects.filter(retry_of=settlement).exists():
            raise SettlementNotRetryable("This settlement has already been retried.")
        request = payouts.PayoutRequest(
            wallet_id=settlement.wallet_id,
            bank_account=settlement.bank_account,
            amount=settlement.amount,
            reason=settlement.reason,
            transaction_type=TransactionType.SETTLEMENT,
        )
        payouts.check_payout_target(settlement.wallet, settlement.bank_account)
        try:
            retry = reserve_settlement(request, retry_of=settlement)
        except IntegrityError:  # a concurrent retry won (retry_of is unique); it moved nothing
            raise SettlementNotRetryable("This settlement has already been retried.")
        payouts.send_after_commit(self.paystack, retry.transaction)
        return refreshed(retry)

    # --- schedules ------------------------------------------------------------------------------

    def create_settlement_schedule(self, wallet, bank_account, schedule_type, **kwargs):
        """A standing settlement instruction; returns the SettlementSchedule with
        `next_settlement` computed. Raises InvalidSchedule or BankAccountUnavailable."""
        payouts.check_payout_target(wallet, bank_account)
        fields = clean_schedule_fields(schedule_type, kwargs)
        schedule = SettlementSchedule(
            wallet=wallet, bank_account=bank_account, schedule_type=schedule_type, **fields
        )
        schedule.next_settlement = compute_next_settlement(schedule, timezone.now())
        schedule.save()
        return schedule

    def update_settlement_schedule(self, schedule, bank_account=None, schedule_type=None, **kwargs):
        schedule_type = schedule_type or schedule.schedule_type
        if bank_account is not None:
            payouts.check_payout_target(schedule.wallet, bank_account)
            schedule.bank_account = bank_account
        current = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
        fields = clean_schedule_fields(schedule_type, {**current, **kwargs})
        for name, value in fields.items():
            setattr(schedule, name, value)
        schedule.schedule_type = schedule_type
        schedule.next_settlement = compute_next_settlement(schedule, timezone.now())
        schedule.save()
        return schedule

    def pause_settlement_schedule(self, schedule) -> SettlementSchedule:
        schedule.is_active = False
        schedule.save(update_fields=["is_active", "updated_at"])
        return schedule

    def resume_settlement_schedule(self, schedule) -> SettlementSchedule:
        """Resume from now on: periods missed while paused are not settled retroactively."""
        payouts.check_payout_target(schedule.wallet, schedule.bank_account)
        schedule.is_active = True
        schedule.next_settlement = compute_next_settlement(schedule, timezone.now())
        schedule.save(update_fields=["is_active", "next_settlement", "updated_at"])
        return schedule

    def process_due_schedules(self, now: datetime | None = None, limit: int = 500) -> list:
        """Run every active schedule due at `now`, once per period; returns the SettlementRuns.

        Safe to run in several workers at once and to rerun: a schedule row is locked (others
        skip it), its period recorded under a unique key and its next time moved on, in one
        transaction. Transfers are sent after that transaction commits.
        """
        now = now or timezone.now()
        runs = []
        for _ in range(limit):
            run = process_next_due_schedule(now)
            if run is None:
                break
            if isinstance(run, SettlementRun):
                runs.append(run)
                if run.settlement_id:
                    payouts.send_payout(
                        self.paystack, Payout.objects.get(transaction=run.settlement.transaction_id)
                    )
        return runs


# --- reserve ------------------------------------------------------------------------------------


@retry_on_conflict
def reserve_settlement(request, *, schedule=None, retry_of=None) -> Settlement:
    with db.atomic():
        tx = payouts.reserve_payout(request)
        return Settlement.objects.create(
            wallet_id=request.wallet_id,
            bank_account=request.bank_account,
            transaction=tx,
            schedule=schedule,
            retry_of=retry_of,
            amount=request.amount,
            reason=request.reason,
        )


def refreshed(settlement: Settlement) -> Settlement:
    return Settlement.objects.select_related("transaction", "bank_account__bank").get(
        pk=settlement.pk
    )


# --- the schedule processor ---------------------------------------------------------------------

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
        schedule.save(update_fields=["next_settlement", "last_run_at", "updated_at"])
        if SettlementRun.objects.filter(schedule=schedule, period=period).exists():
            return SKIPPED
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
    request = payouts.PayoutRequest(
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
        outcome=outcome,
        reason=reason[:200],
        settlement=settlement,
    )


def settlement_amount(schedule: SettlementSchedule, wallet) -> tuple[Decimal | None, str]:
    """How much this period settles, or (None, why not). The wallet row is locked."""
    account = schedule.bank_account
    if wallet.is_locked:
        return None, "The wallet is locked."
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
        return None, f"Not enough to settle {amount} plus a {fee} fee and keep the minimum balance."
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


# --- schedule fields ----------------------------------------------------------------------------


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def compute_next_settlement(schedule: SettlementSchedule, after: datetime) -> datetime:
    return next_settlement(
        schedule.schedule_type,
        after=after,
        time_of_day=schedule.time_of_day,
        tz=site_zone(),
        day_of_week=schedule.day_of_week,
        day_of_month=schedule.day_of_month,
    )


def clean_schedule_fields(schedule_type: str, raw: dict) -> dict:
    """Validate and normalise the keyword options of a schedule; raises InvalidSchedule."""
    unknown = set(raw) - SCHEDULE_FIELDS
    if unknown:
        raise InvalidSchedule(f"Unknown schedule option(s): {', '.join(sorted(unknown))}.")
    if schedule_type not in ScheduleType.values:
        raise InvalidSchedule(f"A schedule is one of: {', '.join(ScheduleType.values)}.")
    fields = {
        "time_of_day": parse_time(raw.get("time_of_day")),
        "day_of_week": None,
        "day_of_month": None,
        "threshold_amount": None,
        "amount_mode": raw.get("amount_mode") or AmountMode.ALL_AVAILABLE,
        "fixed_amount": optional_amount(raw.get("fixed_amount"), "fixed amount"),
        "minimum_balance": optional_amount(
            raw.get("minimum_balance"), "minimum balance", zero_ok=True
        )
        or Decimal("0.00"),
        "maximum_amount": optional_amount(raw.get("maximum_amount"), "maximum per settlement"),
        "is_active": bool(raw.get("is_active", True)),
    }
    if schedule_type == ScheduleType.WEEKLY:
        fields["day_of_week"] = parse_weekday(raw.get("day_of_week"))
    if schedule_type == ScheduleType.MONTHLY:
        fields["day_of_month"] = parse_day_of_month(raw.get("day_of_month"))
    if schedule_type == ScheduleType.THRESHOLD:
        fields["threshold_amount"] = optional_amount(raw.get("threshold_amount"), "threshold")
        if fields["threshold_amount"] is None:
            raise InvalidSchedule("A threshold schedule needs the balance to settle at.")
    if fields["amount_mode"] not in AmountMode.values:
        raise InvalidSchedule("Settle either everything available or a fixed amount.")
    if fields["amount_mode"] == AmountMode.FIXED and fields["fixed_amount"] is None:
        raise InvalidSchedule("Give the fixed amount to settle each time.")
    if fields["amount_mode"] == AmountMode.ALL_AVAILABLE:
        fields["fixed_amount"] = None
    return fields


def parse_time(value) -> time:
    if value in (None, ""):
        return time(9, 0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        return time.fromisoformat(str(value).strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise InvalidSchedule("The time of day looks like 09:00 (24-hour clock).")


def parse_weekday(value) -> int:
    if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower())
    try:
        day = int(value)
    except (TypeError, ValueError):
        day = -1
    if not 0 <= day <= 6:
        raise InvalidSchedule("A weekly schedule needs a day of the week (Monday to Sunday).")
    return day


def parse_day_of_month(value) -> int:
    try:
        day = int(value)
    except (TypeError, ValueError):
        day = 0
    if not 1 <= day <= 31:
        raise InvalidSchedule("A monthly schedule needs a day of the month from 1 to 31.")
    return day


def optional_amount(value, label: str, zero_ok: bool = False) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidSchedule(f"The {label} must be an amount like 5000 or 5000.50.")
    if not amount.is_finite() or amount < 0 or (amount == 0 and not zero_ok):
        raise InvalidSchedule(f"The {label} must be a positive amount.")
    if amount != amount.quantize(CENT):
        raise InvalidSchedule(f"The {label} can have at most two decimal places.")
    if amount > settings.WALLET_MAX_AMOUNT * 100:
        raise InvalidSchedule(f"The {label} is too large.")
    return amount.quantize(CENT)
