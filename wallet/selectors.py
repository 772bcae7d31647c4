"""Reads for the web pages, the JSON API and the back office. Nothing here writes.

Every function starts from a wallet the caller already owns, so another user's rows are out
of reach by construction. History pages use keyset (seek) pagination on (created_at, id): a
deep page costs the same as the first one, whatever the size of the wallet's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Lower, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.identity import HANDLE_PATTERN, clean_handle, full_name, phone_in_e164
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
from wallet.models.wallet import normalise_public_id

ZERO = Decimal("0.00")
HISTORY_PAGE_SIZE = 25
RECENT_TRANSACTIONS = 6
RECENT_RECIPIENTS = 5
CHART_DAYS = 90
PAYOUT_TYPES = (TransactionType.WITHDRAWAL, TransactionType.SETTLEMENT)
UNDONE_STATUSES = (TransactionStatus.FAILED, TransactionStatus.REVERSED)


# --- Wallet --------------------------------------------------------------------------------


def held_amount(*, wallet: Wallet) -> Decimal:
    """Money taken from the wallet for payouts that Paystack has not finished yet."""
    total = (
        wallet.transactions.filter(
            status__in=IN_FLIGHT_STATUSES,
            direction=Direction.DEBIT,
            transaction_type__in=PAYOUT_TYPES,
        )
        .aggregate(total=Sum("amount") + Sum("fee"))
        .get("total")
    )
    return total or ZERO


def find_recipient(query: str, *, currency: str | None = None) -> Wallet | None:
    """The wallet a sender means by a handle (`@ada`), an exact e-mail, a phone number or a
    wallet's public id; None when unknown. Never by the sequential pk: counting up through
    ids would let anyone harvest every customer (security review, issue 13)."""
    query = (query or "").strip()
    if not query or len(query) > 254 or "\x00" in query:
        return None
    wallets = Wallet.objects.select_related("user").filter(
        currency=currency or settings.WALLET_CURRENCY, user__is_active=True
    )
    return _first_match(wallets, query)


def _first_match(wallets: QuerySet[Wallet], query: str) -> Wallet | None:
    # LOWER(...) = ... (not iexact) and handle <> '' are what the indexes on Lower(email) and the
    # partial unique Lower(handle) answer; iexact would read every customer.
    wallets = wallets.alias(
        handle_lower=Lower("user__handle"), email_lower=Lower("user__email")
    )
    handles = wallets.exclude(user__handle="")
    if query.startswith("@"):
        handle = clean_handle(query).lower()
        return handles.filter(handle_lower=handle).first() if handle else None  # "@" alone
    if "@" in query:
        return wallets.filter(email_lower=query.lower()).first()
    if phone := phone_in_e164(query):
        return wallets.filter(user__phone=phone).first()
    code = normalise_public_id(query)
    if HANDLE_PATTERN.fullmatch(query):
        by_handle = handles.filter(handle_lower=query.lower()).first()
        return by_handle or wallets.filter(public_id=code).first()
    return wallets.filter(public_id=code).first()


def display_name(user) -> str:
    """How a person is shown to someone they already deal with: their name, never an e-mail."""
    return full_name(user)


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
    """What is still on its way (payouts, checkouts in progress): the top of the dashboard."""
    queryset = transactions_for_wallet(wallet=wallet).filter(status__in=IN_FLIGHT_STATUSES)
    return list(queryset[:limit])


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


def transactions_for_export(*, wallet: Wallet, filters: HistoryFilters):
    """Rows for a CSV export, as tuples in EXPORT_COLUMNS order, streamed in chunks."""
    queryset = filtered_transactions(wallet=wallet, filters=filters).select_related(None)
    return queryset.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)


# --- Balances over time ----------------------------------------------------------------------


def _ledger_sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


def balance_at(*, wallet: Wallet, moment: dt.datetime) -> Decimal:
    """The wallet's balance at `moment`, from its ledger rows (walks back from the cache)."""
    later = LedgerEntry.objects.filter(wallet=wallet, created_at__gte=moment)
    return wallet.balance - _ledger_sum(later)


def daily_balances(*, wallet: Wallet, days: int = CHART_DAYS) -> list[tuple[dt.date, Decimal]]:
    """Closing balance for each of the last `days` days (local dates), oldest first; 1 query."""
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=days - 1)
    movements = dict(
        LedgerEntry.objects.filter(wallet=wallet, created_at__gte=_start_of_day(first_day))
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(net=Sum("amount"))
        .values_list("day", "net")
    )
    closing = wallet.balance
    series = []
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        series.append((day, closing))
        closing -= movements.get(day, ZERO)
    return _without_empty_start(series[::-1])


def _without_empty_start(series, keep=7):
    """Drop the leading days before the wallet ever held money (keeping one zero and at
    least `keep` days), so a new wallet's chart is not a flat line with a spike at the end."""
    first_money = next((i for i, (_day, balance) in enumerate(series) if balance), len(series))
    start = min(max(first_money - 1, 0), max(len(series) - keep, 0))
    return series[start:]


@dataclass
class Statement:
    wallet: Wallet
    start: dt.date
    end: dt.date
    opening_balance: Decimal
    closing_balance: Decimal
    money_in: Decimal
    money_out: Decimal
    transactions: list[Transaction]
    generated_at: dt.datetime


STATEMENT_MAX_ROWS = 5000


def statement_for_period(*, wallet: Wallet, start: dt.date, end: dt.date) -> Statement:
    """Opening/closing balances from the ledger, and the period's transactions (capped)."""
    period_start, period_end = _start_of_day(start), _start_of_day(end + dt.timedelta(1))
    in_period = LedgerEntry.objects.filter(
        wallet=wallet, created_at__gte=period_start, created_at__lt=period_end
    )
    closing = balance_at(wallet=wallet, moment=period_end)
    flows = in_period.aggregate(
        money_in=Sum("amount", filter=Q(amount__gt=0)),
        money_out=Sum("amount", filter=Q(amount__lt=0)),
    )
    money_in, money_out = flows["money_in"] or ZERO, -(flows["money_out"] or ZERO)
    filters = HistoryFilters(start=start, end=end)
    rows = list(filtered_transactions(wallet=wallet, filters=filters)[:STATEMENT_MAX_ROWS])
    return Statement(
        wallet=wallet,
        start=start,
        end=end,
        opening_balance=closing - money_in + money_out,
        closing_balance=closing,
        money_in=money_in,
        money_out=money_out,
        transactions=rows[::-1],
        generated_at=timezone.now(),
    )


# --- Saved payment methods (models arrive with the funding and payouts work) ---------------------


def saved_cards(*, wallet: Wallet) -> list:
    if not hasattr(wallet, "cards"):
        return []
    return list(wallet.cards.filter(is_active=True)[:4])


def saved_bank_accounts(*, wallet: Wallet) -> list:
    if not hasattr(wallet, "bank_accounts"):
        return []
    return list(wallet.bank_accounts.filter(is_active=True).select_related("bank")[:4])


def user_by_email(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def wallet_currency() -> str:
    return settings.WALLET_CURRENCY


# --- Account limits (KYC tier, safety mode) ---------------------------------------------------


@dataclass(frozen=True)
class TierStatus:
    """What the dashboard and the limits page say about a wallet's tier today."""

    tier: object
    spent_today: Decimal
    left_today: Decimal | None
    over_tier: bool
    safety_until: dt.datetime | None
    safety_left: Decimal | None
    next_tier: int | None


def tier_status(*, wallet: Wallet) -> TierStatus:
    from wallet.models import KycTier

    tier = KycTier.objects.filter(level=wallet.tier).first()
    today = timezone.localdate()
    spent = wallet.outflow_total if wallet.outflow_date == today else ZERO
    limit = tier.daily_limit if tier else None
    in_safety = wallet.safety_until is not None and wallet.safety_until > timezone.now()
    safety_limit = settings.WALLET_SAFETY_MODE_LIMIT
    return TierStatus(
        tier=tier,
        spent_today=spent,
        left_today=max(limit - spent, ZERO) if limit is not None else None,
        over_tier=wallet.over_tier_since is not None,
        safety_until=wallet.safety_until if in_safety else None,
        safety_left=max(safety_limit - wallet.safety_spent, ZERO) if in_safety else None,
        next_tier=wallet.tier + 1
        if KycTier.objects.filter(level=wallet.tier + 1).exists()
        else None,
    )


def wallets_over_their_tier() -> QuerySet:
    """For the back office's dashboard: wallets a credit took past their tier's cap."""
    return Wallet.objects.filter(over_tier_since__isnull=False).select_related("user")


def identifications_for_wallet(*, wallet: Wallet) -> QuerySet:
    return wallet.identifications.all()[:10]
