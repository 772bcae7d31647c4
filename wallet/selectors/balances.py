"""A wallet's balance over time: at a moment, day by day for the chart, and statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.identity import masked_name as masked_name
from wallet.models import (
    LedgerEntry,
    Transaction,
    Wallet,
)
from wallet.selectors.history import HistoryFilters, _start_of_day, filtered_transactions

ZERO = Decimal("0.00")
CHART_DAYS = 90


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
