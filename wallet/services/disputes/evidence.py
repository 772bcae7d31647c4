"""What the site knows about a disputed deposit, for the evidence form and the dispute page:
the customer, the service ("wallet top-up"), what the money was spent on, the checkout's IP
address (as Paystack recorded it), and the deposit's timeline."""

from dataclasses import dataclass

from wallet.models import Direction, Dispute, Transaction, TransactionType
from wallet.selectors.history import transactions_for_wallet

SERVICE = "wallet top-up"
SPENT_ON_SHOWN = 5


@dataclass(frozen=True)
class TimelineStep:
    at: object
    what: str


def prefilled_evidence(dispute: Dispute) -> dict:
    """The fields of Paystack's evidence form, filled from the site's records."""
    user = dispute.wallet.user
    spent = spent_on(dispute)
    details = f"{SERVICE}: {dispute.currency} {dispute.deposit.amount:,.2f} paid into the wallet"
    details += f" on {dispute.deposit.created_at:%Y-%m-%d %H:%M} UTC"
    if spent:
        details += "; then spent on: " + "; ".join(spent)
    if dispute.checkout_ip:
        details += f"; checkout from IP address {dispute.checkout_ip}"
    return {
        "customer_name": user.get_full_name() or user.email,
        "customer_email": user.email,
        "customer_phone": str(user.phone or ""),
        "service_details": details[:1000],
        "delivery_address": "",
    }


def spent_on(dispute: Dispute) -> list[str]:
    """The wallet's first outflows after the deposit, in staff's words (back office only)."""
    later = (
        transactions_for_wallet(wallet=dispute.wallet)
        .filter(created_at__gte=dispute.deposit.created_at, direction=Direction.DEBIT)
        .exclude(transaction_type=TransactionType.DISPUTE)
        .order_by("created_at", "id")[:SPENT_ON_SHOWN]
    )
    return [
        f"{tx.get_transaction_type_display()} {tx.amount:,.2f} on {tx.created_at:%Y-%m-%d}"
        + (f" to {tx.counterparty_wallet.user.email}" if tx.counterparty_wallet_id else "")
        for tx in later
    ]


def timeline(dispute: Dispute) -> list[TimelineStep]:
    """The deposit's story: paid, credited, disputed, held, answered, resolved."""
    deposit = dispute.deposit
    steps = [
        TimelineStep(deposit.created_at, f"Card payment started ({deposit.reference})"),
        TimelineStep(deposit.completed_at, f"Credited {deposit.amount:,.2f} to the wallet"),
        TimelineStep(dispute.opened_at, f"Disputed by the payer's bank ({dispute.category})"),
        TimelineStep(
            dispute.created_at,
            f"Held {dispute.held:,.2f}; not covered by the wallet {dispute.not_covered:,.2f}",
        ),
    ]
    steps += [
        TimelineStep(tx.created_at, f"{tx.get_transaction_type_display()} {tx.amount:,.2f}")
        for tx in Transaction.objects.filter(related_transaction=deposit).exclude(
            transaction_type=TransactionType.DISPUTE
        )
    ]
    if dispute.evidence_sent_at:
        steps.append(TimelineStep(dispute.evidence_sent_at, "Evidence sent to Paystack"))
    if dispute.resolved_at:
        steps.append(
            TimelineStep(
                dispute.resolved_at,
                f"Resolved: {dispute.get_status_display()} ({dispute.resolution})",
            )
        )
    return sorted((s for s in steps if s.at), key=lambda s: s.at)
