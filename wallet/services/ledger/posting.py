"""The one place that writes ledger rows and cached wallet balances (double entry)."""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from wallet.exceptions import CurrencyMismatch, InsufficientFunds, WalletLocked
from wallet.models import LedgerEntry, Wallet


@dataclass(frozen=True)
class Leg:
    """One side of a journal entry: a signed amount on a wallet or on a system account."""

    amount: Decimal
    wallet: Wallet | None = None
    account: str = ""


class UnbalancedEntry(AssertionError):
    """A programming error: a journal whose rows do not sum to zero must never be written."""


def new_reference(prefix: str) -> str:
    """A unique reference Paystack accepts (lowercase alphanumerics and dashes, 16-50 chars)."""
    return f"{prefix}-{timezone.now():%Y%m%d}-{secrets.token_hex(8)}"


def lock_wallets(wallet_ids) -> dict[int, Wallet]:
    """SELECT ... FOR UPDATE the wallets in ascending primary-key order (no deadlocks)."""
    ids = sorted(set(wallet_ids))
    wallets = {
        w.pk: w for w in Wallet.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    if len(wallets) != len(ids):
        raise Wallet.DoesNotExist(f"Wallet(s) {sorted(set(ids) - set(wallets))} not found.")
    return wallets


def ensure_unlocked(*wallets: Wallet) -> None:
    for wallet in wallets:
        if wallet.is_locked:
            raise WalletLocked(
                "Your wallet is locked."
                if wallet is wallets[0]
                else "The recipient's wallet is locked."
            )


def post(*, journal, legs: list[Leg]) -> None:
    """Write a balanced journal entry and move the cached balances of the wallets it touches.

    Call inside `transaction.atomic()` with the wallets already locked (`lock_wallets`).
    Raises InsufficientFunds if a wallet would go below zero; nothing is written then.
    """
    legs = [leg for leg in legs if leg.amount]
    _check_balanced(journal, legs)
    deltas = _wallet_deltas(legs)
    for wallet, delta in deltas.items():
        if wallet.balance + delta < 0:
            raise InsufficientFunds()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            journal=journal,
            wallet=leg.wallet,
            system_account=leg.account,
            amount=leg.amount,
            currency=journal.currency,
        )
        for leg in legs
    )
    if deltas:
        _apply_deltas(deltas)


def _check_balanced(journal, legs):
    total = sum((leg.amount for leg in legs), Decimal("0"))
    if total != 0:
        raise UnbalancedEntry(f"Journal {journal.reference} does not balance: {total}")
    for leg in legs:
        if (leg.wallet is None) == (not leg.account):
            raise UnbalancedEntry("Each leg names exactly one wallet or one system account.")
        if leg.wallet is not None and leg.wallet.currency != journal.currency:
            raise CurrencyMismatch()


def _wallet_deltas(legs) -> dict[Wallet, Decimal]:
    deltas = defaultdict(Decimal)
    for leg in legs:
        if leg.wallet is not None:
            deltas[leg.wallet] += leg.amount
    return {wallet: delta for wallet, delta in deltas.items() if delta}


def _apply_deltas(deltas: dict[Wallet, Decimal]) -> None:
    """One UPDATE for all wallets touched. Its WHERE repeats the balance check in the database,
    in case a caller forgot the lock: if any wallet would go negative, no row matches it."""
    now = timezone.now()
    guard, balance_case = Q(), []
    for wallet, delta in deltas.items():
        guard |= Q(pk=wallet.pk, balance__gte=-delta if delta < 0 else 0)
        balance_case.append(When(pk=wallet.pk, then=F("balance") + delta))
    changes = {"balance": Case(*balance_case), "updated_at": now}
    charged = [w for w in deltas if getattr(w, "_outflow_charged", False)]
    if charged:
        # Today's outflow counter rides along in the same statement (see limits.charge_outflow).
        changes["outflow_date"] = Case(
            *(When(pk=w.pk, then=Value(w.outflow_date)) for w in charged),
            default=F("outflow_date"),
        )
        changes["outflow_total"] = Case(
            *(When(pk=w.pk, then=Value(w.outflow_total)) for w in charged),
            default=F("outflow_total"),
        )
        changes["safety_spent"] = Case(
            *(When(pk=w.pk, then=Value(w.safety_spent)) for w in charged),
            default=F("safety_spent"),
        )
        changes["over_tier_since"] = Case(
            *(When(pk=w.pk, then=Value(w.over_tier_since)) for w in charged),
            default=F("over_tier_since"),
            output_field=DateTimeField(),
        )
    if Wallet.objects.filter(guard).update(**changes) != len(deltas):
        raise InsufficientFunds()
    for wallet, delta in deltas.items():
        wallet.balance += delta
        wallet._outflow_charged = False
