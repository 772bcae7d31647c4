"""The staff actions on KYC tiers: move one wallet to another tier, and edit a tier's limits
(each edit a new, append-only `KycTierVersion`). Neither moves money."""

from decimal import Decimal

from wallet.exceptions import InvalidAmount, WalletError
from wallet.models import CustomerIdentification, KycTier, Wallet
from wallet.services.backoffice.staff_action import StaffAction
from wallet.services.ledger.limits import parse_amount
from wallet.services.outflows.identification import decide_identification
from wallet.services.outflows.tiers import (
    LIMIT_FIELDS,
    change_tier_limits,
    override_tier,
    snapshot,
)

MONEY_LIMITS = {
    "daily_limit": "daily limit",
    "single_limit": "single-payment limit",
    "balance_cap": "balance cap",
}
PERMITS = tuple(name for name in LIMIT_FIELDS if name not in MONEY_LIMITS)  # the yes/no ones


def _clean_tier(wallet, raw):
    level = str(raw.get("tier") or "").strip()
    if not (level.isascii() and level.isdigit()):
        raise WalletError("Choose the tier to move the wallet to (1, 2 or 3).")
    if int(level) == wallet.tier:
        raise WalletError(f"The wallet is already in Tier {level}.")
    if not KycTier.objects.filter(level=int(level)).exists():
        raise WalletError(f"There is no Tier {level}.")
    return {"tier": int(level)}


def _override_tier(wallet, params, reason, actor):
    before = wallet.tier
    override_tier(wallet, params["tier"], by=actor, reason=reason)
    return f"The wallet moved from Tier {before} to Tier {params['tier']}."


def _limit(raw, name) -> str | None:
    """One money limit as typed: empty means "no limit"; otherwise an amount above zero."""
    text = str(raw.get(name) or "").strip()
    if not text:
        return None
    try:
        return str(parse_amount(text))
    except InvalidAmount as error:
        raise InvalidAmount(f"The {MONEY_LIMITS[name]}: {error.message}")


def _clean_limits(tier, raw):
    params = {name: _limit(raw, name) for name in MONEY_LIMITS}
    params.update({name: raw.get(name) in ("on", "true", "1", True) for name in PERMITS})
    daily, single = params["daily_limit"], params["single_limit"]
    if daily is not None and single is not None and Decimal(single) > Decimal(daily):
        raise WalletError("The single-payment limit cannot be above the daily limit.")
    if params == snapshot(tier):
        raise WalletError("Nothing changed: these are the tier's limits already.")
    return params


def _change_limits(tier, params, reason, actor):
    limits = {
        name: (Decimal(value) if name in MONEY_LIMITS and value is not None else value)
        for name, value in params.items()
    }
    saved = change_tier_limits(tier, by=actor, reason=reason, **limits)
    return (
        f"{saved} is now at version {saved.version}; every wallet in it runs under the new "
        "limits from now on."
    )


def _current_limits(tier) -> dict:
    return {name: ("" if value is None else value) for name, value in snapshot(tier).items()}


def _awaits_staff(identification) -> bool:
    """A NIN or document review still open (BVN checks are decided by Paystack's answer)."""
    Kind = CustomerIdentification.Kind
    return (
        identification.status == CustomerIdentification.Status.PENDING
        and identification.kind in (Kind.NIN, Kind.DOCUMENT)
    )


def _approve(identification, params, reason, actor):
    decide_identification(identification, approve=True, by=actor, reason=reason)
    return f"Approved: the wallet is now in Tier {identification.target_level}."


def _refuse(identification, params, reason, actor):
    decide_identification(identification, approve=False, by=actor, reason=reason)
    return "Refused: the wallet keeps its tier; the customer sees your reason."


TIER_ACTIONS = [
    StaffAction(
        "override_tier", "Change KYC tier", "override_tier", Wallet, _override_tier,
        clean=_clean_tier, wants_actor=True, inputs=("tier",),
        describe="Move the wallet to another KYC tier: its daily limit, single-payment "
        "limit and balance cap change at once. Moves no money.",
    ),
    StaffAction(
        "change_tier_limits", "Edit tier limits", "change_kyctier", KycTier, _change_limits,
        clean=_clean_limits, wants_actor=True, inputs=("tier_limits",),
        initial=_current_limits,
        describe="Change this tier's limits for every wallet in it, at once. The old values "
        "stay in the tier's version history. Moves no money.",
    ),
    StaffAction(
        "approve_identification", "Approve identification", "override_tier",
        CustomerIdentification, _approve, applies=_awaits_staff, wants_actor=True,
        describe="The customer's NIN (or document) checked out: the wallet moves to the tier "
        "asked for, and its limits change at once. Moves no money.",
    ),
    StaffAction(
        "refuse_identification", "Refuse identification", "override_tier",
        CustomerIdentification, _refuse, applies=_awaits_staff, wants_actor=True,
        describe="The request is closed without a tier change; your reason is kept with it "
        "and shown to the customer. Moves no money.",
    ),
]  # fmt: skip
