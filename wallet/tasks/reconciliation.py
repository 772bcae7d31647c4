"""django-q2 tasks for reconciliation against Paystack's records: each calls one service."""

from wallet.services.reconciliation import ReconciliationService


def reconcile_yesterday() -> str:
    """Daily: compare yesterday's Paystack transactions, transfers and refunds with ours."""
    run = ReconciliationService().reconcile_yesterday()
    return f"run {run.pk} {run.status}: {run.mismatches_found} mismatches"


def run_reconciliation(run_id: int) -> str:
    """A run staff started from the back office."""
    run = ReconciliationService().run(run_id)
    return f"run {run.pk} {run.status}: {run.mismatches_found} mismatches"
