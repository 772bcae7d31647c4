"""Reads for the web pages, the JSON API and the back office. Nothing here writes.

Every function starts from a wallet the caller already owns, so another user's rows are out
of reach by construction. This module: the wallet, recipients, saved payment methods and
account limits; `history.py`: transactions and the paginated history; `balances.py`:
balances over time and statements. Callers use `wallet.selectors.<name>` for all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.identity import HANDLE_PATTERN, clean_handle, full_name, phone_in_e164
from accounts.identity import masked_name as masked_name
from wallet.models import (
    IN_FLIGHT_STATUSES,
    PAYOUT_TYPES,
    Direction,
    Wallet,
)
from wallet.models.wallet import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH, normalise_public_id

ZERO = Decimal("0.00")


# --- Wallet --------------------------------------------------------------------------------


def dedicated_account_of(*, wallet: Wallet):
    """The wallet's own account number (bank transfers in), or None before it asked for one."""
    from wallet.models import DedicatedAccount

    return DedicatedAccount.objects.filter(wallet=wallet, is_active=True).first()


def all_tiers():
    """Every KYC tier, lowest first: the limits page's table of what each one unlocks."""
    from wallet.models import KycTier

    return list(KycTier.objects.order_by("level"))


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
    # partial unique Lower(handle) answer; iexact would read every customer. Each branch builds
    # only its own filter: the API's transfers look a recipient up on every request.
    if query.startswith("@"):
        handle = clean_handle(query).lower()
        return _by_handle(wallets, handle).first() if handle else None  # "@" alone
    if "@" in query:
        by_email = wallets.alias(email_lower=Lower("user__email"))
        return by_email.filter(email_lower=query.lower()).first()
    if phone := phone_in_e164(query):
        return wallets.filter(user__phone=phone).first()
    code = normalise_public_id(query)
    if HANDLE_PATTERN.fullmatch(query):
        if not _could_be_wallet_code(code):  # "bola": a handle only
            return _by_handle(wallets, query.lower()).first()
        # A handle wins over a wallet code spelled the same: both asked in one query.
        by_code = wallets.filter(public_id=code)
        found = list(_by_handle(wallets, query.lower()).union(by_code, all=True))
        by_handle = [wallet for wallet in found if wallet.user.handle.lower() == query.lower()]
        return (by_handle or found or [None])[0]
    return wallets.filter(public_id=code).first()


def _could_be_wallet_code(code: str) -> bool:
    return len(code) == PUBLIC_ID_LENGTH and set(code) <= _WALLET_CODE_CHARACTERS


_WALLET_CODE_CHARACTERS = frozenset(PUBLIC_ID_ALPHABET)


def _by_handle(wallets: QuerySet[Wallet], handle: str) -> QuerySet[Wallet]:
    return (
        wallets.exclude(user__handle="")
        .alias(handle_lower=Lower("user__handle"))
        .filter(handle_lower=handle)
    )


def display_name(user) -> str:
    """How a person is shown to someone they already deal with: their name, never an e-mail."""
    return full_name(user)


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
    # "cooling_off" (a credential changed) or "new_device": why safety mode is on.
    safety_reason: str = ""
    # When a bank account added now may first receive a payout (during the cooling-off).
    new_accounts_held_until: dt.datetime | None = None
    frozen_since: dt.datetime | None = None


def tier_status(*, wallet: Wallet) -> TierStatus:
    from wallet.models import KycTier

    # This tier and whether a next one exists, in one query (the dashboard shows both).
    tiers = {t.level: t for t in KycTier.objects.filter(level__in=[wallet.tier, wallet.tier + 1])}
    tier = tiers.get(wallet.tier)
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
        next_tier=wallet.tier + 1 if wallet.tier + 1 in tiers else None,
        safety_reason=wallet.safety_reason if in_safety else "",
        new_accounts_held_until=_new_accounts_held_until(wallet),
        frozen_since=wallet.outflows_frozen_at,
    )


def _new_accounts_held_until(wallet: Wallet) -> dt.datetime | None:
    changed = wallet.credentials_changed_at
    now = timezone.now()
    if changed is None or changed + dt.timedelta(hours=settings.WALLET_COOLING_OFF_HOURS) <= now:
        return None
    return now + dt.timedelta(hours=settings.WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS)


def wallets_over_their_tier() -> QuerySet:
    """For the back office's dashboard: wallets a credit took past their tier's cap."""
    return Wallet.objects.filter(over_tier_since__isnull=False).select_related("user")


def identifications_for_wallet(*, wallet: Wallet) -> QuerySet:
    return wallet.identifications.all()[:10]


# The history and balance reads, under the names the callers use.
from wallet.selectors.balances import (  # noqa: E402
    STATEMENT_MAX_ROWS,
    Statement,
    _without_empty_start,
    balance_at,
    daily_balances,
    statement_for_period,
)
from wallet.selectors.history import (  # noqa: E402
    EXPORT_COLUMNS,
    HISTORY_PAGE_SIZE,
    RECENT_RECIPIENTS,
    RECENT_TRANSACTIONS,
    HistoryFilters,
    HistoryPage,
    decode_cursor,
    encode_cursor,
    filtered_transactions,
    history_page,
    live_signature,
    month_flows,
    pending_transactions,
    recent_recipients,
    recent_transactions,
    transaction_for_wallet,
    transactions_for_export,
    transactions_for_wallet,
)
from wallet.selectors.notifications import (  # noqa: E402
    NOTIFICATIONS_PAGE_SIZE,
    notifications_for,
    unread_count,
)

__all__ = [
    "NOTIFICATIONS_PAGE_SIZE", "notifications_for", "unread_count", "dedicated_account_of",
    "all_tiers",
    "EXPORT_COLUMNS", "HISTORY_PAGE_SIZE", "RECENT_RECIPIENTS", "RECENT_TRANSACTIONS",
    "STATEMENT_MAX_ROWS", "HistoryFilters", "HistoryPage", "Statement", "balance_at",
    "daily_balances", "decode_cursor", "display_name", "encode_cursor", "filtered_transactions",
    "find_recipient", "held_amount", "history_page", "identifications_for_wallet", "live_signature",
    "masked_name", "month_flows", "pending_transactions", "recent_recipients",
    "recent_transactions", "saved_bank_accounts", "saved_cards", "statement_for_period",
    "tier_status", "transaction_for_wallet", "transactions_for_export",
    "transactions_for_wallet", "user_by_email", "wallet_currency", "wallets_over_their_tier",
    "TierStatus", "_without_empty_start",
]  # fmt: skip
