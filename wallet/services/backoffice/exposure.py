"""Approvals that cannot be split: the threshold applies to everything one target has had, not
to one action at a time.

- a deposit: every refund of it, done or pending, plus the refunds requested and not decided;
- a wallet: every adjustment to it since Lagos midnight, plus those requested and not decided;
- any other target: the same action requested on it and not decided yet;
- a maker: the money their actions moved or requested since Lagos midnight, against
  BACKOFFICE_MAKER_DAILY_TOTAL, above which everything they do waits for a checker.

`serialized` makes the sum and the decision one step for a target and a maker: two requests at
once queue on a PostgreSQL advisory lock (not a row lock, and no transaction is held while the
action calls Paystack), so the second one sees the first.
"""

from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from wallet.models import (
    ApprovalRequest,
    ApprovalStatus,
    AuditEntry,
    AuditOutcome,
    Transaction,
    TransactionType,
)
from wallet.services.backoffice import audit

ZERO = Decimal("0.00")


def lagos_midnight():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def requested_not_decided(name: str, target) -> Decimal:
    total = ApprovalRequest.objects.filter(
        action=name,
        target_type=audit.target_type(target),
        target_id=str(target.pk),
        status=ApprovalStatus.PENDING,
        expires_at__gt=timezone.now(),
    ).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def target_so_far(action, target) -> Decimal:
    """What `target` has already had of `action`, done or waiting for a checker."""
    if target is None:
        return ZERO
    waiting = requested_not_decided(action.name, target)
    if action.name == "refund_deposit":
        from wallet.services.funding.refunds import refunded_amount

        return refunded_amount(target) + waiting
    if action.name == "adjust_balance":
        done = Transaction.objects.filter(
            wallet=target,
            transaction_type=TransactionType.ADJUSTMENT,
            created_at__gte=lagos_midnight(),
        ).aggregate(total=Sum("amount"))["total"]
        return (done or ZERO) + waiting
    return waiting


def maker_today(maker, money_actions) -> Decimal:
    """The money `maker` moved or asked to move through staff actions since Lagos midnight."""
    total = AuditEntry.objects.filter(
        actor=maker,
        action__in=money_actions,
        outcome__in=(AuditOutcome.DONE, AuditOutcome.REQUESTED),
        created_at__gte=lagos_midnight(),
    ).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def over_limits(action, target, maker, amount, money_actions) -> str | None:
    """Why this action needs a checker when its amount alone would not (None: it need not)."""
    if amount is None or not action.moves_money:
        return None
    threshold = settings.BACKOFFICE_APPROVAL_THRESHOLD
    so_far = target_so_far(action, target)
    if so_far + amount > threshold:
        return (
            f"With what this row has already had ({so_far:,.2f}), the total passes the "
            f"approval threshold of {threshold:,.2f}."
        )
    daily = settings.BACKOFFICE_MAKER_DAILY_TOTAL
    today = maker_today(maker, money_actions)
    if today + amount > daily:
        return (
            f"Your actions today ({today:,.2f}) and this one pass the daily total of "
            f"{daily:,.2f} above which a second person approves."
        )
    return None


@contextmanager
def serialized(*keys: str):
    """Hold a PostgreSQL advisory lock per key (in a fixed order) for the block."""
    keys = sorted(set(keys))
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for key in reversed(keys):
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])


def lock_keys(target, maker) -> list[str]:
    keys = [f"staff-maker:{maker.pk}"]
    if target is not None:
        keys.append(f"staff-target:{audit.target_type(target)}:{target.pk}")
    return keys
