"""Paystack's word on a dispute (a charge.dispute.* webhook, or the reconcile job's fetch or
list) applied to the site: the same function for every source, so order does not matter.
Each event carries the whole dispute: a `resolve` arriving first opens and resolves it; a late
`create` or a duplicate finds it already there and moves nothing."""

import ipaddress
from decimal import Decimal

from django.db import IntegrityError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wallet.exceptions import InvalidAmount
from wallet.models import Direction, Dispute, Transaction, TransactionStatus, TransactionType
from wallet.paystack import from_subunit
from wallet.services.disputes import money

RESOLVED = "resolved"
WON = "declined"  # the business declined the claim and the bank agreed: the money stays


def apply_paystack_dispute(data: dict) -> Dispute | None:
    """Open, update or resolve the site's record of this Paystack dispute. None when it is not
    about a successful deposit of this site (nothing is recorded then)."""
    paystack_id = _paystack_id(data)
    deposit = _deposit(data)
    if paystack_id is None or deposit is None:
        return None
    dispute = Dispute.objects.filter(paystack_id=paystack_id).first()
    if dispute is None:
        dispute = _open(paystack_id, deposit, data)
    elif dispute.is_open and data.get("status") != RESOLVED:
        _refresh(dispute, data)
    if data.get("status") == RESOLVED and dispute.is_open:
        resolution = str(data.get("resolution") or "")
        dispute = money.resolve_dispute(
            dispute.pk,
            won=resolution == WON,
            lost_amount=_amount(data, deposit),
            resolution=resolution[:40],
            paystack_status=RESOLVED,
            resolved_at=_moment(data.get("resolvedAt")) or timezone.now(),
        )
    return dispute


def _open(paystack_id, deposit, data) -> Dispute:
    try:
        return money.open_dispute(
            paystack_id=paystack_id,
            deposit=deposit,
            amount=_amount(data, deposit),
            paystack_status=str(data.get("status") or "")[:40],
            category=str(data.get("category") or "")[:40],
            due_at=_moment(data.get("dueAt")),
            opened_at=_moment(data.get("createdAt") or data.get("created_at")) or timezone.now(),
            evidence_id=_int(data.get("evidence")),
            checkout_ip=_ip(data),
        )
    except IntegrityError:  # the same dispute, opened a moment earlier by another delivery
        return Dispute.objects.get(paystack_id=paystack_id)


def _refresh(dispute, data):
    """Paystack's status, due date and evidence (no money moves)."""
    Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).update(
        paystack_status=str(data.get("status") or "")[:40],
        due_at=_moment(data.get("dueAt")) or dispute.due_at,
        evidence_id=_int(data.get("evidence")) or dispute.evidence_id,
        updated_at=timezone.now(),
    )


def _deposit(data) -> Transaction | None:
    tx = data.get("transaction")
    reference = tx.get("reference") if isinstance(tx, dict) else None
    reference = str(reference or data.get("merchant_transaction_reference") or "")
    if not reference or not reference.isprintable():  # NUL and friends: no charge of ours
        return None
    return Transaction.objects.filter(
        reference=str(reference)[:100],
        transaction_type=TransactionType.DEPOSIT,
        direction=Direction.CREDIT,
        status=TransactionStatus.SUCCESS,
    ).first()


def _amount(data, deposit) -> Decimal:
    """The disputed amount (Paystack's `refund_amount`), never more than the deposit; the
    whole deposit when Paystack gives none."""
    try:
        amount = from_subunit(data.get("refund_amount"))
    except InvalidAmount:
        return deposit.amount
    if amount <= 0:
        return deposit.amount
    return min(amount, deposit.amount)


def _paystack_id(data):
    value = _int(data.get("id"))
    return value if value and value > 0 else None


def _int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _ip(data):
    tx = data.get("transaction") if isinstance(data.get("transaction"), dict) else {}
    try:
        return str(ipaddress.ip_address(str(tx.get("ip_address") or "")))
    except ValueError:
        return None


def _moment(value):
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
