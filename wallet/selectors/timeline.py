"""A money object's whole life, in order (issue 21): when it was created, each Paystack call
with its outcome and latency, each webhook delivery (refused ones too), each reconcile check,
each status change, each staff action and approval, and what the customer was shown.

Deposits, transfers, payouts and refunds are each a Transaction; the timeline is keyed by it.
A bounded number of queries (one per source), whatever the object.
"""

from dataclasses import dataclass

from django.db.models import Q

from wallet.models import (
    ApprovalRequest,
    AuditEntry,
    Payout,
    PaystackCall,
    ReconciliationMismatch,
    Refund,
    Transaction,
    TransactionStatus,
    TransactionStatusChange,
    WebhookEvent,
)
from wallet.templatetags.wallet_web import money

PER_SOURCE = 100
PROBLEM_STATUSES = ("failed", "reversed", "abandoned")


@dataclass(frozen=True)
class Moment:
    at: object  # an aware datetime
    kind: str  # created, paystack, webhook, check, status, staff, approval, customer
    title: str
    detail: str = ""
    problem: bool = False


def money_object(tx_id: int) -> Transaction:
    """Raises Transaction.DoesNotExist."""
    return Transaction.objects.select_related("wallet__user").get(pk=tx_id)


def references_of(tx: Transaction) -> tuple[list[str], Payout | None, Refund | None]:
    """Every reference Paystack and the webhooks know this object by."""
    refs = [tx.reference]
    payout = Payout.objects.filter(transaction=tx).first()
    if payout and payout.reference not in refs:
        refs.append(payout.reference)
    if payout and payout.transfer_code:
        refs.append(payout.transfer_code)
    refund = Refund.objects.filter(transaction=tx).select_related("charge").first()
    if refund is not None:
        refs.append(refund.charge.reference)
        if refund.paystack_refund_id:
            refs.append(str(refund.paystack_refund_id))
    return refs, payout, refund


def timeline(tx: Transaction) -> list[Moment]:
    refs, payout, refund = references_of(tx)
    changes = _recorded_changes(tx)
    moments = [
        *_life(tx, changes),
        *_status_changes(changes),
        *_paystack_calls(refs),
        *_webhooks(refs),
        *_checks(tx, payout, refs),
        *_staff(tx, payout, refund),
        _customer_view(tx),
    ]
    return sorted(moments, key=lambda m: (m.at, _ORDER.get(m.kind, 9)))


_ORDER = {"created": 0, "customer": 1, "paystack": 2, "webhook": 3, "check": 4, "status": 5}


def _life(tx: Transaction, changes) -> list[Moment]:
    what = f"{tx.get_transaction_type_display()} of {money(tx.amount, tx.currency)}"
    if tx.fee:
        what += f" (fee {money(tx.fee, tx.currency)})"
    moments = [
        Moment(tx.created_at, "created", f"Created: {what}", f"By {tx.get_channel_display()}.")
    ]
    # Rows moved before status changes were recorded (migration 0032) still show how they
    # ended; rows with recorded changes show each step instead (_status_changes).
    if tx.completed_at and not changes:
        bad = tx.status in PROBLEM_STATUSES
        moments.append(
            Moment(
                tx.completed_at,
                "status",
                f"Status became {tx.get_status_display().lower()}",
                tx.failure_reason,
                problem=bad,
            )  # fmt: skip
        )
    return moments


def _recorded_changes(tx) -> list[TransactionStatusChange]:
    changes = TransactionStatusChange.objects.filter(transaction=tx).order_by("at", "id")
    return list(changes[:PER_SOURCE])


def _status_changes(changes) -> list[Moment]:
    """Each recorded step (pending → processing → OTP → successful...), with its cause."""
    return [
        Moment(
            change.at,
            "status",
            f"Status: {_label(change.from_status)} → {_label(change.to_status)}",
            change.cause,
            problem=change.to_status in PROBLEM_STATUSES,
        )  # fmt: skip
        for change in changes
    ]


def _label(status: str) -> str:
    return str(TransactionStatus(status).label) if status in TransactionStatus.values else status


def _paystack_calls(refs) -> list[Moment]:
    calls = PaystackCall.objects.filter(reference__in=refs)[:PER_SOURCE]
    return [
        Moment(
            call.created_at,
            "paystack",
            f"Paystack {call.method} {call.path}: {call.get_outcome_display().lower()}"
            + (f" (HTTP {call.http_status})" if call.http_status else ""),
            f"{call.latency_ms} ms. {call.message}".strip(),
            problem=call.outcome != PaystackCall.Outcome.OK,
        )  # fmt: skip
        for call in calls
    ]


def _webhooks(refs) -> list[Moment]:
    events = (
        WebhookEvent.objects.filter(reference__in=refs)
        .defer("raw_body", "payload")
        .order_by("received_at")[:PER_SOURCE]
    )
    moments = []
    for event in events:
        copies = f", delivered {event.deliveries} times" if event.deliveries > 1 else ""
        moments.append(
            Moment(
                event.received_at,
                "webhook",
                f"Webhook {event.event}: {event.get_status_display().lower()}{copies}",
                event.last_error.splitlines()[0] if event.last_error else "",
                problem=event.status in ("failed", "refused"),
            )  # fmt: skip
        )
    return moments


def _checks(tx, payout, refs) -> list[Moment]:
    moments = []
    if payout is not None and payout.last_checked_at:
        moments.append(
            Moment(
                payout.last_checked_at,
                "check",
                "Last reconcile check with Paystack",
                f"Paystack status {payout.paystack_status or 'unknown'}; "
                f"{payout.attempts} send attempt(s).",
            )  # fmt: skip
        )
    mismatches = ReconciliationMismatch.objects.filter(
        Q(transaction=tx) | Q(reference__in=refs)
    ).order_by("created_at")[:PER_SOURCE]
    for mismatch in mismatches:
        moments.append(
            Moment(
                mismatch.created_at,
                "check",
                f"Reconciliation found: {mismatch.get_kind_display()}",
                f"Ours: {mismatch.ours or '—'}; Paystack: {mismatch.theirs or '—'}.",
                problem=mismatch.is_open,
            )  # fmt: skip
        )
        if mismatch.resolved_at:
            moments.append(
                Moment(mismatch.resolved_at, "check", "Mismatch resolved", mismatch.resolution_note)
            )
    return moments


def _staff(tx, payout, refund) -> list[Moment]:
    """Staff actions on the object (its transaction, payout, refund) and on its wallet since
    it was created (a lock, an adjustment), with the approvals they went through."""
    targets = Q(target_type="wallet.transaction", target_id=str(tx.pk))
    if payout is not None:
        targets |= Q(target_type="wallet.payout", target_id=str(payout.pk))
    if refund is not None:
        targets |= Q(target_type="wallet.refund", target_id=str(refund.pk))
    targets |= Q(
        target_type="wallet.wallet", target_id=str(tx.wallet_id), created_at__gte=tx.created_at
    )
    entries = AuditEntry.objects.filter(targets).select_related("actor")[:PER_SOURCE]
    moments = [
        Moment(
            e.created_at,
            "staff",
            f"Staff: {e.action.replace('_', ' ')} — {e.get_outcome_display().lower()}",
            f"By {e.actor.email if e.actor else 'the system'}. Reason: {e.reason}. {e.detail}",
            problem=e.outcome == "refused",
        )  # fmt: skip
        for e in entries
    ]
    approvals = ApprovalRequest.objects.filter(
        target_type="wallet.transaction", target_id=str(tx.pk)
    ).select_related("maker")[:PER_SOURCE]
    moments += [
        Moment(
            a.created_at,
            "approval",
            f"Approval request #{a.pk}: {a.get_status_display().lower()}",
            f"Asked by {a.maker.email}: {a.reason}",
        )  # fmt: skip
        for a in approvals
    ]
    return moments


def _customer_view(tx) -> Moment:
    from wallet.templatetags.wallet_web import money_outcome

    shown = tx.description or tx.get_transaction_type_display()
    outcome = money_outcome(tx) or money(tx.amount, tx.currency)
    return Moment(
        tx.created_at, "customer", "What the customer sees",
        f"“{shown}” · {tx.get_status_display()} · {outcome}",
    )  # fmt: skip
