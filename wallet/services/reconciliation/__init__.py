"""Reconciliation against Paystack's own records (RELIABILITY.md invariant 8).

Modules: `runs` (start a run, run it, resolve a mismatch), `charges`, `transfers`, `refunds`
(one comparison each: Paystack's list for the period against our deposits, payouts and
refunds), `findings` (a difference, kept once while open), `paystack_records` (reading list
items). `ReconciliationService` is what the tasks and the back office call.

What counts as a mismatch, per record (a charge or transfer by reference, a refund by
Paystack's id): Paystack has it and we do not; we say Paystack acted on it and Paystack has no
record; the amount, the currency or the status differs. Nothing here moves money.
"""

from functools import cached_property

from wallet.services.reconciliation.runs import (
    create_run,
    reconcile_period,
    request_run,
    resolve_mismatch,
    run_reconciliation,
    yesterday,
)


class ReconciliationService:
    """Reconciliation runs and their mismatches; builds the Paystack client unless given one."""

    def __init__(self, paystack=None):
        if paystack is not None:
            self.__dict__["paystack"] = paystack

    @cached_property
    def paystack(self):
        from wallet.paystack import PaystackClient

        return PaystackClient()

    def start_run_now(self, *, period_start=None, period_end=None, started_by=None):
        """Queue a run for the period (default: yesterday, Africa/Lagos) and return it."""
        return request_run(period_start=period_start, period_end=period_end, started_by=started_by)

    def run(self, run_id: int):
        """Run a queued run (the worker's task); a run already started is left alone."""
        return run_reconciliation(self.paystack, run_id)

    def reconcile_yesterday(self):
        """The daily job: create yesterday's run and run it now."""
        return reconcile_period(self.paystack)

    def resolve_mismatch(self, *, mismatch, note: str, resolved_by):
        return resolve_mismatch(mismatch=mismatch, note=note, resolved_by=resolved_by)


__all__ = [
    "ReconciliationService",
    "create_run",
    "reconcile_period",
    "request_run",
    "resolve_mismatch",
    "run_reconciliation",
    "yesterday",
]
