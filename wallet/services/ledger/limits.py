"""Amount parsing, and the limits of each wallet's KYC tier and safety mode, checked with the
wallet row locked in the transaction that moves the money."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

from wallet.amounts import parse_amount_text
from wallet.exceptions import (
    BankAccountOnHold,
    InsufficientFunds,
    InvalidAmount,
    LimitExceeded,
    OutflowsFrozen,
    WalletError,
)
from wallet.models import KycTier

CENT = Decimal("0.01")
# Beyond any limit and beyond the 19-digit columns; checked before quantize() can overflow.
ABSURD = Decimal("1e16")


def parse_amount(amount) -> Decimal:
    """A Decimal, int or text amount to an exact Decimal with at most two places, or
    InvalidAmount. Text is read by the one rule for typed amounts (`wallet.amounts`)."""
    if isinstance(amount, bool) or amount is None:
        raise InvalidAmount("Enter an amount.")
    if isinstance(amount, float):
        amount = repr(amount)  # the shortest decimal that round-trips, never binary noise
    if isinstance(amount, str):
        amount = parse_amount_text(amount)
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount("That is not an amount.")
    if not value.is_finite():
        raise InvalidAmount("The amount must be a finite number.")
    if value <= 0:
        raise InvalidAmount("The amount must be greater than zero.")
    if value >= ABSURD:
        raise InvalidAmount("The amount is far too large.")
    if value != value.quantize(CENT):
        raise InvalidAmount("Amounts have at most two decimal places (kobo).")
    return value.quantize(CENT)


def check_amount(amount) -> Decimal:
    """Parse the amount and hold it to the per-operation minimum and maximum."""
    value = parse_amount(amount)
    minimum, maximum = settings.WALLET_MIN_AMOUNT, settings.WALLET_MAX_AMOUNT
    if value < minimum:
        raise InvalidAmount(f"The smallest amount is ₦{minimum:,.2f}.")
    if value > maximum:
        raise InvalidAmount(f"The largest amount for one operation is ₦{maximum:,.2f}.")
    return value


def daily_limit_exceeded(limit: Decimal, spent: Decimal) -> LimitExceeded:
    """The refusal for a debit past today's limit, saying how much is still allowed."""
    left = max(limit - spent, Decimal("0.00"))
    return LimitExceeded(
        f"This exceeds your daily limit of ₦{limit:,.2f}; you can send ₦{left:,.2f} more today."
    )


def single_limit_exceeded(tier_name: str, limit: Decimal) -> LimitExceeded:
    return LimitExceeded(f"The most one payment can be on {tier_name} is ₦{limit:,.2f}.")


def operation_not_allowed(tier_name: str, operation: str) -> LimitExceeded:
    label = OPERATION_LABELS.get(operation, operation)
    return LimitExceeded(f"{tier_name} wallets cannot make {label}; upgrade your tier first.")


def safety_limit_exceeded(limit: Decimal, spent: Decimal, reason: str = "") -> LimitExceeded:
    left = max(limit - spent, Decimal("0.00"))
    why = (
        "Your sign-in details changed recently"
        if reason == SAFETY_REASON_COOLING_OFF
        else "You signed in on a new device"
    )
    return LimitExceeded(
        f"{why}, so for now you can send at most ₦{limit:,.2f} in total "
        f"(₦{left:,.2f} left). This protects your money if it was not you."
    )


def recipient_over_cap() -> LimitExceeded:
    # Says nothing about the recipient's balance: that is theirs to know.
    return LimitExceeded(
        "The recipient's wallet cannot receive this amount under its account limits."
    )


def funding_over_cap(tier_name: str, cap: Decimal) -> LimitExceeded:
    return LimitExceeded(
        f"This would take your wallet past the {tier_name} balance limit of ₦{cap:,.2f}. "
        "Upgrade your tier to hold more: account menu › Account limits."
    )


OPERATION_LABELS = {
    "transfer": "transfers",
    "withdrawal": "withdrawals",
    "settlement": "settlements",
    "payment": "payments",
    "bank_send": "bank transfers",
}
# Which KycTier flag allows each outflow; internal payments are always allowed.
OPERATION_FLAGS = {
    "transfer": "allows_transfer",
    "withdrawal": "allows_withdrawal",
    "settlement": "allows_settlement",
    # Money leaving for a bank account either way (issue 24).
    "bank_send": "allows_withdrawal",
}


def tier_of(wallet) -> KycTier:
    """The wallet's tier as it is now (read inside the caller's transaction)."""
    tier = KycTier.objects.filter(level=wallet.tier).first()
    if tier is None:
        raise WalletError("This wallet's account tier is not set up; contact support.")
    return tier


def tiers_of(*wallets) -> dict[int, KycTier]:
    """The tiers of several wallets in one query (a transfer needs both ends')."""
    tiers = KycTier.objects.in_bulk({wallet.tier for wallet in wallets})
    if len(tiers) != len({wallet.tier for wallet in wallets}):
        raise WalletError("This wallet's account tier is not set up; contact support.")
    return tiers


def charge_outflow(
    wallet, total: Decimal, *, operation: str, amount: Decimal = None, tier: KycTier = None
) -> None:
    """Hold `total` (amount + fee) to the wallet's tier and safety mode, and count it against
    today's outflow. Call with the wallet row locked; the counters are written by
    `ledger.post` in the same UPDATE as the balance. Raises OutflowsFrozen, LimitExceeded."""
    if wallet.outflows_frozen_at is not None:
        raise OutflowsFrozen()
    tier = tier or tier_of(wallet)
    flag = OPERATION_FLAGS.get(operation)
    if flag and not getattr(tier, flag):
        raise operation_not_allowed(tier.name, operation)
    if tier.single_limit is not None and (amount or total) > tier.single_limit:
        raise single_limit_exceeded(tier.name, tier.single_limit)
    today = timezone.localdate()
    spent = wallet.outflow_total if wallet.outflow_date == today else Decimal("0.00")
    if tier.daily_limit is not None and spent + total > tier.daily_limit:
        raise daily_limit_exceeded(tier.daily_limit, spent)
    _charge_safety_mode(wallet, total)
    wallet.outflow_date = today
    wallet.outflow_total = spent + total
    if tier.balance_cap is None or wallet.balance - total <= tier.balance_cap:
        wallet.over_tier_since = None
    wallet._outflow_charged = True


SAFETY_REASON_NEW_DEVICE = "new_device"
SAFETY_REASON_COOLING_OFF = "cooling_off"


def check_payout_account(wallet, bank_account, now=None) -> None:
    """A bank account added during the cooling-off after a credential change receives no
    payout until WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS after it was added. Raises BankAccountOnHold."""
    changed = wallet.credentials_changed_at
    if changed is None or bank_account.created_at is None or bank_account.created_at < changed:
        return
    cooling_ends = changed + timedelta(hours=settings.WALLET_COOLING_OFF_HOURS)
    held_until = bank_account.created_at + timedelta(
        hours=settings.WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS
    )
    if bank_account.created_at < cooling_ends and (now or timezone.now()) < held_until:
        local = timezone.localtime(held_until)
        raise BankAccountOnHold(
            "This bank account was added just after your sign-in details changed, so it "
            f"can receive money from {local:%-d %b %Y, %H:%M}. Until then, use another account."
        )


def in_safety_mode(wallet, now=None) -> bool:
    return wallet.safety_until is not None and wallet.safety_until > (now or timezone.now())


def _charge_safety_mode(wallet, total):
    if not in_safety_mode(wallet):
        return
    limit = settings.WALLET_SAFETY_MODE_LIMIT
    if wallet.safety_spent + total > limit:
        raise safety_limit_exceeded(limit, wallet.safety_spent, wallet.safety_reason)
    wallet.safety_spent += total


def admit_inflow(wallet, amount: Decimal, tier: KycTier = None) -> None:
    """Refuse an internal credit (a transfer in) that would take the wallet past its cap, or
    any while it is marked over its tier. Call with the wallet row locked."""
    cap = (tier or tier_of(wallet)).balance_cap
    if wallet.over_tier_since is not None or (cap is not None and wallet.balance + amount > cap):
        raise recipient_over_cap()


def check_funding(wallet, amount: Decimal) -> None:
    """Before a card or bank deposit starts: refuse one that would pass the cap."""
    tier = tier_of(wallet)
    cap = tier.balance_cap
    if wallet.over_tier_since is not None or (cap is not None and wallet.balance + amount > cap):
        raise funding_over_cap(tier.name, cap if cap is not None else wallet.balance)


def note_external_credit(wallet) -> bool:
    """After money Paystack already took was credited: mark the wallet if it is now over its
    cap (inflows stop until it is back under or upgraded). Call with the wallet row locked."""
    cap = tier_of(wallet).balance_cap
    if cap is None or wallet.balance <= cap or wallet.over_tier_since is not None:
        return False
    wallet.over_tier_since = timezone.now()
    type(wallet).objects.filter(pk=wallet.pk).update(over_tier_since=wallet.over_tier_since)
    return True


def release_outflow(wallet, total: Decimal, charged_on) -> None:
    """Give back `total` of the outflow counted on `charged_on` when that money returns to the
    wallet (a failed or reversed payout). Call with the wallet row locked; an earlier day's
    counter is gone already, so nothing is given back then."""
    if wallet.outflow_date != charged_on:
        return
    wallet.outflow_total = max(wallet.outflow_total - total, Decimal("0.00"))
    wallet._outflow_charged = True


def preview_outflow(wallet, total: Decimal, *, operation: str, amount: Decimal) -> None:
    """The checks an outflow of `total` will meet, run on a fresh copy of the wallet without
    changing anything, for a review screen. The first that fails is raised, balance first."""
    fresh = type(wallet).objects.get(pk=wallet.pk)
    if fresh.balance < total:
        raise InsufficientFunds(
            f"Insufficient funds: you have ₦{fresh.balance:,.2f}; this needs ₦{total:,.2f}."
        )
    charge_outflow(fresh, total, operation=operation, amount=amount)
