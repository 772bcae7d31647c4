"""A wallet's transactions: recent, pending, this month's flows, recent recipients, and the
history with filters and keyset (seek) pagination on (created_at, id): a deep page costs the
same as the first one, whatever the size of the wallet's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.identity import masked_name as masked_name
from wallet.models import (
    IN_FLIGHT_STATUSES,
    Direction,
    LedgerEntry,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
)

ZERO = Decimal("0.00")
HISTORY_PAGE_SIZE = 25
RECENT_TRANSACTIONS = 6
RECENT_RECIPIENTS = 5
UNDONE_STATUSES = (TransactionStatus.FAILED, TransactionStatus.REVERSED)


# --- Transactions --------------------------------------------------------------------------


def transactions_for_wallet(*, wallet: Wallet) -> QuerySet[Transaction]:
    return wallet.transactions.select_related("counterparty_wallet__user").order_by(
        "-created_at", "-id"
    )


def recent_transactions(*, wallet: Wallet, limit: int = RECENT_TRANSACTIONS) -> list[Transaction]:
    """Recent activity: abandoned checkouts are folded away (nothing happened; History keeps
    them), and rows still in flight are listed by pending_transactions instead."""
    queryset = transactions_for_wallet(wallet=wallet).exclude(
        status__in=[TransactionStatus.ABANDONED, *IN_FLIGHT_STATUSES]
    )
    return list(queryset[:limit])


def pending_transactions(*, wallet: Wallet, limit: int = RECENT_TRANSACTIONS) -> list[Transaction]:
    """What is still on its way (payouts in flight): the top of the dashboard. A card checkout
    not paid yet is not money on its way (nothing was taken), so it is left out."""
    queryset = (
        transactions_for_wallet(wallet=wallet)
        .filter(status__in=IN_FLIGHT_STATUSES)
        .exclude(transaction_type=TransactionType.DEPOSIT, direction=Direction.CREDIT)
    )
    return list(queryset[:limit])


def live_signature(*, wallet: Wallet) -> str:
    """What the dashboard's live panel shows, in one short query: the cached balance, the
    newest transaction, and every row still in flight with its status (which also covers held
    money). The poll compares it first, so "nothing changed" renders nothing and sums nothing.
    """
    newest = wallet.transactions.order_by("-pk").values("pk")[:1]
    rows = wallet.transactions.filter(
        Q(status__in=IN_FLIGHT_STATUSES) | Q(pk=Subquery(newest))
    ).values_list("pk", "status")
    shown = ",".join(f"{pk}{status}" for pk, status in sorted(rows))
    return f"{wallet.balance}:{shown}"


def month_flows(*, wallet: Wallet) -> tuple[Decimal, Decimal]:
    """(money in, money out) this calendar month, from ledger rows: only money that moved.

    A failed or reversed payout posted its debit and its return, and a reversal undid its
    original: for the customer none of them moved money, so their rows are left out."""
    first = _start_of_day(timezone.localdate().replace(day=1))
    undone = Q(journal__status__in=UNDONE_STATUSES) | Q(
        journal__transaction_type=TransactionType.REVERSAL
    )
    rows = LedgerEntry.objects.filter(wallet=wallet, created_at__gte=first).exclude(undone)
    flows = rows.aggregate(
        money_in=Sum("amount", filter=Q(amount__gt=0)),
        money_out=Sum("amount", filter=Q(amount__lt=0)),
    )
    return flows["money_in"] or ZERO, -(flows["money_out"] or ZERO)


def transaction_for_wallet(*, wallet: Wallet, pk: int) -> Transaction:
    """One of the wallet's own transactions, or 404 (another user's id looks like none)."""
    queryset = wallet.transactions.select_related(
        "counterparty_wallet__user", "related_transaction"
    )
    return get_object_or_404(queryset, pk=pk)


def recent_recipients(*, wallet: Wallet, limit: int = RECENT_RECIPIENTS) -> list[Wallet]:
    """The wallets this one paid most recently, newest first, each once."""
    recent_ids = (
        wallet.transactions.filter(
            transaction_type=TransactionType.TRANSFER,
            direction=Direction.DEBIT,
            counterparty_wallet__isnull=False,
        )
        .order_by("-created_at", "-id")
        .values_list("counterparty_wallet_id", flat=True)[:50]
    )
    ordered = list(dict.fromkeys(recent_ids))[:limit]
    wallets = Wallet.objects.select_related("user").in_bulk(ordered)
    return [wallets[pk] for pk in ordered if pk in wallets]


@dataclass(frozen=True)
class HistoryFilters:
    transaction_type: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        return any([self.transaction_type, self.status, self.start, self.end, self.search])


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_transactions(*, wallet: Wallet, filters: HistoryFilters) -> QuerySet[Transaction]:
    queryset = transactions_for_wallet(wallet=wallet)
    if filters.transaction_type:
        queryset = queryset.filter(transaction_type=filters.transaction_type)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.start:
        queryset = queryset.filter(created_at__gte=_start_of_day(filters.start))
    if filters.end:
        queryset = queryset.filter(created_at__lt=_start_of_day(filters.end + dt.timedelta(1)))
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(Q(reference__istartswith=term) | Q(description__icontains=term))
    return queryset


# A cursor is "<microseconds since the epoch>.<id>": exact (no float), short, URL-safe.
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode_cursor(transaction: Transaction) -> str:
    delta = transaction.created_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{transaction.pk}"


def decode_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    """The (created_at, id) a cursor points at, or None for anything malformed."""
    try:
        micros, pk = (int(part) for part in (cursor or "").split("."))
        return _EPOCH + dt.timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        return None


@dataclass
class HistoryPage:
    transactions: list[Transaction] = field(default_factory=list)
    older_cursor: str = ""
    newer_cursor: str = ""


def history_page(
    *,
    wallet: Wallet,
    filters: HistoryFilters,
    after: str = "",
    before: str = "",
    size: int = HISTORY_PAGE_SIZE,
) -> HistoryPage:
    """One page of history, newest first. `after` = older than that cursor, `before` = newer.

    The extra `created_at <= t` bound lets PostgreSQL start the index scan at the cursor
    instead of filtering from the newest row down (what keeps deep pages fast).
    """
    queryset = filtered_transactions(wallet=wallet, filters=filters)
    if before and (position := decode_cursor(before)):
        at, pk = position
        newer = queryset.filter(created_at__gte=at).exclude(created_at=at, id__lte=pk)
        rows = list(newer.order_by("created_at", "id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True
    else:
        if after and (position := decode_cursor(after)):
            at, pk = position
            queryset = queryset.filter(created_at__lte=at).exclude(created_at=at, id__gte=pk)
        rows = list(queryset[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = bool(after)
    return HistoryPage(
        transactions=rows,
        older_cursor=encode_cursor(rows[-1]) if rows and has_older else "",
        newer_cursor=encode_cursor(rows[0]) if rows and has_newer else "",
    )


EXPORT_COLUMNS = (
    "created_at",
    "reference",
    "transaction_type",
    "direction",
    "status",
    "amount",
    "fee",
    "currency",
    "channel",
    "description",
    "completed_at",
)
# Who the money went to or came from (issue 23): a transfer's other customer, a bank
# transfer's sender, a payout's account holder. Read with each row; the CSV's last column.
COUNTERPARTY_FIELDS = (
    "counterparty_wallet__user__first_name",
    "counterparty_wallet__user__last_name",
    "counterparty_wallet__user__handle",
    "metadata__sender_name",
    "payout__bank_account__account_name",
)


def transactions_for_export(*, wallet: Wallet, filters: HistoryFilters):
    """Rows for a CSV export, as tuples in EXPORT_COLUMNS order, streamed in chunks."""
    queryset = filtered_transactions(wallet=wallet, filters=filters).select_related(None)
    fields = (*EXPORT_COLUMNS, *COUNTERPARTY_FIELDS)
    return queryset.values_list(*fields).iterator(chunk_size=2000)
