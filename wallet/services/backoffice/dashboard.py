"""The back-office home: the money as a whole, from the ledger, in a bounded number of queries
(about ten, whatever the size of the tables; tests/backoffice/test_dashboard.py counts them)."""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from wallet.exceptions import PaystackAPIError
from wallet.models import (
    IN_FLIGHT_STATUSES,
    PAYOUT_TYPES,
    LedgerCheck,
    Payout,
    ReconciliationMismatch,
    ReconciliationRun,
    Refund,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
    WebhookEvent,
)
from wallet.paystack import from_subunit
from wallet.services.disputes.figures import dispute_figures
from wallet.services.ledger.checkpoints import system_totals

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
WEBHOOK_ATTENTION = (
    WebhookEvent.Status.FAILED,
    WebhookEvent.Status.REFUSED,
    WebhookEvent.Status.RECEIVED,
)


@dataclass
class Books:
    liabilities: Decimal = ZERO  # what the customers' wallets hold
    wallets: int = 0
    accounts: dict = field(default_factory=dict)  # system account code -> its balance

    @property
    def total(self) -> Decimal:
        """Wallets plus system accounts: zero when the books balance."""
        return self.liabilities + sum(self.accounts.values(), ZERO)

    @property
    def paystack_holds(self) -> Decimal:
        # The clearing account is debited when Paystack collects for us: its negation is ours.
        return -self.accounts.get(SystemAccount.PAYSTACK, ZERO)

    @property
    def dispute_exposure(self) -> Decimal:
        """What disputed deposits' wallets did not cover, not yet settled (docs/disputes.md)."""
        return -self.accounts.get(SystemAccount.DISPUTE_EXPOSURE, ZERO)


def books(currency: str) -> Books:
    """Customer liabilities and every system account (the accounts from the latest ledger
    checkpoint plus the rows after it: a few queries, however long the ledger)."""
    wallets = Wallet.objects.filter(currency=currency).aggregate(
        total=Sum("balance"), count=Count("id")
    )
    accounts = {code: ZERO for code in SystemAccount.values}
    accounts.update(system_totals(currency))
    return Books(wallets["total"] or ZERO, wallets["count"], accounts)


def in_flight(now: dt.datetime) -> dict:
    """Payouts in flight / stuck / awaiting OTP, and pending charges older than an hour (one
    query over the partial in-flight index)."""
    stuck_before = now - dt.timedelta(minutes=settings.BACKOFFICE_STUCK_PAYOUT_MINUTES)
    payout = Q(transaction_type__in=PAYOUT_TYPES)
    counts = Transaction.objects.filter(status__in=IN_FLIGHT_STATUSES).aggregate(
        payouts=Count("id", filter=payout),
        payouts_amount=Sum("amount", filter=payout),
        stuck=Count("id", filter=payout & Q(created_at__lt=stuck_before)),
        otp=Count("id", filter=payout & Q(status=TransactionStatus.OTP)),
        old_charges=Count(
            "id",
            filter=Q(
                transaction_type=TransactionType.DEPOSIT,
                status=TransactionStatus.PENDING,
                created_at__lt=now - dt.timedelta(hours=1),
            ),
        ),
    )
    counts["payouts_amount"] = counts["payouts_amount"] or ZERO
    counts["inconclusive"] = (
        Payout.objects.filter(transaction__status__in=IN_FLIGHT_STATUSES)
        .exclude(last_error="")
        .count()
    )
    return counts


def attention() -> dict:
    return {
        "webhooks": WebhookEvent.objects.filter(status__in=WEBHOOK_ATTENTION).count(),
        "pending_refunds": Refund.objects.filter(status=Refund.Status.PENDING).count(),
        "last_ledger_check": LedgerCheck.objects.order_by("-ran_at").first(),
        "last_reconciliation": ReconciliationRun.objects.order_by("-created_at").first(),
        "open_mismatches": ReconciliationMismatch.objects.open().count(),
        "over_tier": Wallet.objects.filter(over_tier_since__isnull=False).count(),
    }


def volumes(now: dt.datetime, currency: str, days: int = 30) -> dict:
    """Successful volume by type today and over `days` days, and the daily total (one query)."""
    local_now = timezone.localtime(now)
    start = local_now.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days - 1)
    rows = (
        Transaction.objects.filter(
            created_at__gte=start, currency=currency, status=TransactionStatus.SUCCESS
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "transaction_type")
        .annotate(total=Sum("amount"), count=Count("id"))
    )
    by_type = defaultdict(lambda: {"today": ZERO, "period": ZERO, "count": 0})
    daily = defaultdict(lambda: ZERO)
    for day, kind, total, count in rows:
        by_type[kind]["period"] += total
        by_type[kind]["count"] += count
        if day == local_now.date():
            by_type[kind]["today"] += total
        daily[day] += total
    series = [
        (start.date() + dt.timedelta(n), daily[start.date() + dt.timedelta(n)]) for n in range(days)
    ]
    return {"by_type": dict(by_type), "daily": series, "since": start}


def paystack_balance(paystack, currency: str) -> Decimal | None:
    """What Paystack says it holds for us (GET /balance), or None when it does not answer."""
    try:
        rows = paystack.get_balance() or []
    except PaystackAPIError as error:
        logger.warning("Paystack balance unavailable: %s", error.message)
        return None
    for row in rows:
        if row.get("currency") == currency:
            return from_subunit(int(row.get("balance") or 0))
    return None


BALANCE_KEY = "backoffice:paystack-balance:{currency}"
# Kept well past the job's minute: an old figure shown with its age beats none.
BALANCE_KEEP_SECONDS = 24 * 3600


def refresh_paystack_balance(*, paystack=None, now: dt.datetime | None = None) -> Decimal | None:
    """The worker's job (every minute): ask Paystack for its balance and keep the answer with
    the time it was fetched. A failed call keeps the previous answer (the page shows its age)."""
    if paystack is None:
        from wallet.services.wallet_service import WalletService

        paystack = WalletService().paystack
    currency = settings.WALLET_CURRENCY
    balance = paystack_balance(paystack, currency)
    if balance is not None:
        cache.set(
            BALANCE_KEY.format(currency=currency),
            (balance, now or timezone.now()),
            BALANCE_KEEP_SECONDS,
        )
    return balance


def cached_paystack_balance(currency: str) -> tuple[Decimal | None, dt.datetime | None]:
    """What the worker last fetched, and when; (None, None) when it never did."""
    return cache.get(BALANCE_KEY.format(currency=currency)) or (None, None)


def dashboard(*, now: dt.datetime | None = None) -> dict:
    """Every figure of the back-office home (about ten queries). Never calls Paystack: its
    balance is what the worker last fetched (refresh_paystack_balance), with its time."""
    now = now or timezone.now()
    currency = settings.WALLET_CURRENCY
    summed_at, totals = ledger_totals(now, currency)
    balance, fetched_at = cached_paystack_balance(currency)
    return {
        "currency": currency,
        **totals,
        "summed_at": summed_at,
        "paystack_balance": balance,
        "paystack_balance_at": fetched_at,
        "in_flight": in_flight(now),
        "attention": attention(),
        "disputes": dispute_figures(),
        "now": now,
    }


def ledger_totals(now: dt.datetime, currency: str) -> tuple[dt.datetime, dict]:
    """The books and the volumes: the two figures that read every system row and a month of
    transactions. Kept for BACKOFFICE_DASHBOARD_CACHE_SECONDS (the page says as of when), so
    staff reloading the dashboard do not each sum a million rows; 0 sums on every request."""
    seconds = settings.BACKOFFICE_DASHBOARD_CACHE_SECONDS
    key = f"backoffice:ledger-totals:{currency}"
    cached = cache.get(key) if seconds else None
    if cached is None:
        cached = (now, {"books": books(currency), "volumes": volumes(now, currency)})
        if seconds:
            cache.set(key, cached, seconds)
    return cached


def forget_ledger_totals(currency: str | None = None) -> None:
    cache.delete(f"backoffice:ledger-totals:{currency or settings.WALLET_CURRENCY}")
