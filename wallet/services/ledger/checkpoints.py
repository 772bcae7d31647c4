"""The system accounts' balances without summing the whole ledger each time.

A `LedgerCheckpoint` stores each system account's sum up to one ledger row; a balance is that
sum plus the rows after it (the primary key index finds them). The ledger is append-only, so
a checkpoint stays exact forever, with one condition: every row up to it must have been
committed when it was taken. Row ids are handed out at insert, so a row with a lower id can
still be in an open transaction after a higher one commits. A checkpoint therefore only ever
covers rows older than `SETTLED_AFTER`, far longer than any posting transaction runs (they
take milliseconds; Paystack is never called inside one). `check_ledger` re-adds the latest
checkpoint from scratch and reports any difference.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError
from django.db import transaction as db
from django.db.models import Sum
from django.utils import timezone

from wallet.models import LedgerCheckpoint, LedgerEntry

SETTLED_AFTER = timedelta(minutes=10)
ADVANCE_EVERY = timedelta(hours=1)


def system_totals(currency: str, now: datetime | None = None) -> dict[str, Decimal]:
    """Each system account's balance in `currency` now (the latest checkpoint plus the rows
    after it). Takes a new checkpoint when the latest is older than ADVANCE_EVERY."""
    now = now or timezone.now()
    checkpoint = latest(currency)
    if checkpoint is None or checkpoint.created_at < now - ADVANCE_EVERY:
        checkpoint = advance(currency, checkpoint, now) or checkpoint
    return _add(_base(checkpoint), _sums(currency, after=checkpoint.up_to if checkpoint else 0))


def latest(currency: str) -> LedgerCheckpoint | None:
    return LedgerCheckpoint.objects.filter(currency=currency).order_by("-up_to").first()


def advance(currency, checkpoint, now) -> LedgerCheckpoint | None:
    """A checkpoint up to the newest row older than SETTLED_AFTER, or None when there is no
    such row past the current one."""
    start = checkpoint.up_to if checkpoint else 0
    up_to = (
        LedgerEntry.objects.filter(id__gt=start, created_at__lt=now - SETTLED_AFTER)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if up_to is None:
        return None
    totals = _add(_base(checkpoint), _sums(currency, after=start, up_to=up_to))
    try:
        with db.atomic():
            return LedgerCheckpoint.objects.create(
                currency=currency, up_to=up_to, totals={k: str(v) for k, v in totals.items()}
            )
    except IntegrityError:  # another request took the same checkpoint a moment earlier
        return LedgerCheckpoint.objects.get(currency=currency, up_to=up_to)


def differences(currency: str) -> list[str]:
    """The latest checkpoint against the rows summed from scratch (for check_ledger)."""
    checkpoint = latest(currency)
    if checkpoint is None:
        return []
    expected = _sums(currency, after=0, up_to=checkpoint.up_to)
    stored = _base(checkpoint)
    return [
        f"checkpoint up to row {checkpoint.up_to} says {account} is {stored.get(account, 0)} "
        f"{currency}, its rows sum to {expected.get(account, 0)}"
        for account in sorted(set(expected) | set(stored))
        if stored.get(account, Decimal("0")) != expected.get(account, Decimal("0"))
    ]


def _sums(currency, *, after: int, up_to: int | None = None) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(currency=currency, id__gt=after).exclude(system_account="")
    if up_to is not None:
        rows = rows.filter(id__lte=up_to)
    totals = rows.values_list("system_account").annotate(total=Sum("amount")).order_by()
    return dict(totals)


def _base(checkpoint) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in checkpoint.totals.items()} if checkpoint else {}


def _add(first: dict, second: dict) -> dict[str, Decimal]:
    return {
        account: first.get(account, Decimal("0.00")) + second.get(account, Decimal("0.00"))
        for account in set(first) | set(second)
    }
