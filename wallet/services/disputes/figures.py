"""The dispute figures of the back-office dashboard: open disputes, their nearest due dates,
what is held and the exposure (two queries)."""

from decimal import Decimal

from django.db.models import Count, Sum

from wallet.models import Dispute

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
