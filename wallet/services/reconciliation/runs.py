"""Starting and running a reconciliation, and resolving what it found.

A run pages through Paystack's transaction, transfer and refund lists for its period and
compares them with our deposits, payouts and refunds. Paystack is never called inside a
database transaction: each step (claim the run, keep a finding, finish) commits on its own.
"""

import logging
from datetime import datetime, time, timedelta

from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import InvalidReconciliationPeriod, MismatchNotResolvable, PaystackAPIError
from wallet.models import ReconciliationMismatch, ReconciliationRun
from wallet.services.reconciliation.charges import charge_findings
from wallet.services.reconciliation.disputes import dispute_findings
from wallet.services.reconciliation.findings import record_findings
from wallet.services.reconciliation.refunds import refund_findings
from wallet.services.reconciliation.transfers import transfer_findings

logger = logging.getLogger(__name__)

MAX_PERIOD = timedelta(days=31)
PER_PAGE = 100  # Paystack's largest page

Run = ReconciliationRun


def yesterday() -> tuple[datetime, datetime]:
    """Yesterday in the site's time zone (Africa/Lagos), to its last millisecond (Paystack
    writes times to the millisecond)."""
    day = timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1) - timedelta(milliseconds=1)


def checked_period(start, end) -> tuple[datetime, datetime]:
    """The period made aware (naive means the site's time zone), or InvalidReconciliationPeriod."""
    if start is None or end is None:
        return yesterday()
    start, end = (
        moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        for moment in (start, end)
    )
    if start >= end:
        raise InvalidReconciliationPeriod()
    if end - start > MAX_PERIOD:
        raise InvalidReconciliationPeriod(
            f"Reconcile at most {MAX_PERIOD.days} days at a time; this period is longer."
        )
    return start, end


def create_run(*, period_start=None, period_end=None, started_by=None) -> ReconciliationRun:
    """A queued run for the period (default: yesterday). Raises InvalidReconciliationPeriod."""
    start, end = checked_period(period_start, period_end)
    return Run.objects.create(period_start=start, period_end=end, started_by=started_by)


def request_run(*, period_start=None, period_end=None, started_by=None) -> ReconciliationRun:
    """Queue a run now for a worker (the back office's "run reconciliation"); returns it while
    still queued. Moves no money. Raises InvalidReconciliationPeriod."""
    run = create_run(period_start=period_start, period_end=period_end, started_by=started_by)
    run_id = run.pk
    db.on_commit(lambda: _enqueue("wallet.tasks.reconciliation.run_reconciliation", run_id))
    return run


def _enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


def run_reconciliation(paystack, run_id: int, per_page: int = PER_PAGE) -> ReconciliationRun:
    """Compare Paystack's lists with our records for the run's period and keep each mismatch.

    A run already started (by another worker, or twice from the queue) is returned as it is.
    Paystack trouble fails the run with the reason; what was found before it is kept.
    """
    claimed = Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).update(
        status=Run.Status.RUNNING
    )
    current = Run.objects.get(pk=run_id)
    if not claimed:
        return current
    try:
        _compare_everything(paystack, current, per_page)
    except PaystackAPIError as error:
        logger.warning("reconciliation run %s failed: %s", run_id, error.message)
        _finish(current, Run.Status.FAILED, error=f"Paystack: {error.message}")
    else:
        _finish(current, Run.Status.COMPLETED)
    return current


def _compare_everything(paystack, current: ReconciliationRun, per_page: int) -> None:
    start, end = current.period_start, current.period_end
    steps = (
        ("charges_compared", charge_findings),
        ("transfers_compared", transfer_findings),
        ("refunds_compared", refund_findings),
        ("disputes_compared", dispute_findings),
    )
    for counter, find in steps:
        compared, findings = find(paystack, start, end, per_page)
        setattr(current, counter, compared)
        current.mismatches_found += record_findings(current, findings)
        current.save(update_fields=[counter, "mismatches_found"])


def _finish(current: ReconciliationRun, status: str, error: str = "") -> None:
    current.status, current.error, current.finished_at = status, error, timezone.now()
    current.save(update_fields=["status", "error", "finished_at"])
    logger.info(
        "Reconciliation %s %s: %s mismatches (%s charges, %s transfers, %s refunds)",
        current.pk,
        status,
        current.mismatches_found,
        current.charges_compared,
        current.transfers_compared,
        current.refunds_compared,
    )


def reconcile_period(
    paystack, *, period_start=None, period_end=None, started_by=None, per_page: int = PER_PAGE
) -> ReconciliationRun:
    """Create a run for the period (default: yesterday) and run it here and now."""
    created = create_run(period_start=period_start, period_end=period_end, started_by=started_by)
    return run_reconciliation(paystack, created.pk, per_page=per_page)


def resolve_mismatch(*, mismatch, note: str, resolved_by) -> ReconciliationMismatch:
    """Close an open mismatch with the staff member's note (what was checked or done). Moves
    no money: a correction is its own action. Raises MismatchNotResolvable when the note is
    empty or the mismatch is already resolved."""
    note = (note or "").strip()
    if not note:
        raise MismatchNotResolvable("Say what was checked or done: a note is required.")
    with db.atomic():
        locked = ReconciliationMismatch.objects.select_for_update().get(pk=mismatch.pk)
        if not locked.is_open:
            raise MismatchNotResolvable("This mismatch is already resolved.")
        locked.status = ReconciliationMismatch.Status.RESOLVED
        locked.resolution_note = note
        locked.resolved_by = resolved_by
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    return locked
