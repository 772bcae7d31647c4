"""The dispute figures of the back-office dashboard: open disputes, their nearest due dates,
what is held and the exposure (two queries)."""

from decimal import Decimal

from django.db.models import Count, F, Sum

from wallet.models import Dispute, SystemAccount

NEXT_DUE_SHOWN = 5
ZERO = Decimal("0.00")


def dispute_figures() -> dict:
    """Open disputes (count, held, not covered), the next ones due, and the exposure of lost
    disputes still owed (kept for recovery)."""
    open_disputes = Dispute.objects.filter(status=Dispute.Status.OPEN)
    totals = open_disputes.aggregate(
        count=Count("id"), held=Sum("held"), not_covered=Sum("not_covered")
    )
    next_due = list(
        open_disputes.select_related("wallet__user").order_by("due_at", "id")[:NEXT_DUE_SHOWN]
    )
    return {
        "open": totals["count"],
        "held": totals["held"] or ZERO,
        "not_covered": totals["not_covered"] or ZERO,
        "next_due": next_due,
    }


def expected_dispute_accounts() -> dict:
    """What `disputes_held` and `dispute_exposure` must sum to, from the Dispute rows alone
    (the ledger check compares them)."""
    open_totals = Dispute.objects.filter(status=Dispute.Status.OPEN).aggregate(
        amount=Sum("amount"), not_covered=Sum("not_covered")
    )
    owed = Dispute.objects.filter(status=Dispute.Status.LOST).aggregate(
        owed=Sum(F("shortfall") - F("recovered") - F("written_off"))
    )["owed"]
    return {
        SystemAccount.DISPUTES_HELD: open_totals["amount"] or ZERO,
        SystemAccount.DISPUTE_EXPOSURE: -((open_totals["not_covered"] or ZERO) + (owed or ZERO)),
    }
