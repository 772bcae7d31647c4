"""SettlementService: the usage guide's facade over settlements and their schedules.

A table of contents: one-off settlements live in `payouts.settlements`, schedules and their
processor in `payouts.schedules` (both share the payout machinery of `payouts.transfers`).
"""

from datetime import datetime
from functools import cached_property

from wallet.models import Settlement, SettlementSchedule
from wallet.services.payouts import schedules, settlements


class SettlementService:
    """`create_settlement`, `verify_settlement`, `retry_settlement`, the schedule CRUD and
    `process_due_schedules`. Paystack is reached through `paystack` (built lazily)."""

    def __init__(self, paystack=None):
        if paystack is not None:
            self.__dict__["paystack"] = paystack

    @cached_property
    def paystack(self):
        from wallet.paystack import PaystackClient

        return PaystackClient()

    def create_settlement(self, wallet, bank_account, amount, reason=None, reference=None):
        """Settle `amount` to `bank_account`: the wallet is debited amount + fee at once and the
        transfer sent after commit. Returns the Settlement (status as Paystack answered).

        Raises InvalidAmount, BankAccountUnavailable, CurrencyMismatch, WalletLocked,
        InsufficientFunds, LimitExceeded, DuplicateReference; then nothing moved.
        """
        return settlements.create_settlement(
            self.paystack, wallet, bank_account, amount, reason=reason, reference=reference
        )

    def verify_settlement(self, settlement) -> Settlement:
        """Ask Paystack where the transfer stands and move the settlement to match."""
        return settlements.verify_settlement(self.paystack, settlement)

    def retry_settlement(self, settlement) -> Settlement:
        """Pay a failed or reversed settlement again: a new transfer with a new reference (the
        old one is final), linked to the first. Raises SettlementNotRetryable."""
        return settlements.retry_settlement(self.paystack, settlement)

    def create_settlement_schedule(self, wallet, bank_account, schedule_type, **kwargs):
        """A standing settlement instruction; returns the SettlementSchedule with
        `next_settlement` computed. Raises InvalidSchedule or BankAccountUnavailable."""
        return schedules.create_schedule(wallet, bank_account, schedule_type, **kwargs)

    def update_settlement_schedule(self, schedule, bank_account=None, schedule_type=None, **kwargs):
        """Change a schedule's account, kind or options; `next_settlement` is recomputed."""
        return schedules.update_schedule(schedule, bank_account, schedule_type, **kwargs)

    def pause_settlement_schedule(self, schedule) -> SettlementSchedule:
        return schedules.pause_schedule(schedule)

    def resume_settlement_schedule(self, schedule) -> SettlementSchedule:
        """Resume from now on: periods missed while paused are not settled retroactively."""
        return schedules.resume_schedule(schedule)

    def process_due_schedules(self, now: datetime | None = None, limit: int = 500) -> list:
        """Run every active schedule due at `now`, once per period; returns the SettlementRuns.

        Safe to run in several workers at once and to rerun: a schedule row is locked (others
        skip it), its period recorded under a unique key and its next time moved on, in one
        transaction. Transfers are sent after that transaction commits.
        """
        return schedules.process_due_schedules(self.paystack, now=now, limit=limit)
