"""KYC tiers: the defaults, staff edits (each one a new version), and moving a wallet."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import WalletError
from wallet.models import KycTier, KycTierVersion, TierChange, Wallet
from wallet.services.ledger.posting import lock_wallets
from wallet.services.outflows.defaults import DEFAULT_TIERS

LIMIT_FIELDS = (
    "daily_limit",
    "single_limit",
    "balance_cap",
    "allows_transfer",
    "allows_withdrawal",
    "allows_settlement",
)


def ensure_default_tiers() -> None:
    """Create any missing tier with the CBN defaults (migration 0013 does this once)."""
    for row in DEFAULT_TIERS:
        KycTier.objects.get_or_create(level=row["level"], defaults=row)


def snapshot(tier: KycTier) -> dict:
    return {name: _plain(getattr(tier, name)) for name in LIMIT_FIELDS}


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def change_tier_limits(tier: KycTier, *, by, reason: str, **limits) -> KycTier:
    """Staff edit of a tier's limits: applies at once to every wallet in it and writes the
    new version (who, why, the values). Raises PermissionDenied, WalletError."""
    if not by.has_perm("wallet.change_kyctier"):
        raise PermissionDenied("You may not change account tiers.")
    reason = _required_reason(reason)
    unknown = set(limits) - set(LIMIT_FIELDS)
    if unknown:
        raise WalletError(f"Unknown tier setting(s): {', '.join(sorted(unknown))}.")
    with db.atomic():
        locked = KycTier.objects.select_for_update().get(pk=tier.pk)
        for name, value in limits.items():
            setattr(locked, name, value)
        locked.version += 1
        locked._change_reason = reason[:100]  # django-simple-history's column is 100 long
        locked.save()
        KycTierVersion.objects.create(
            tier=locked,
            version=locked.version,
            limits=snapshot(locked),
            changed_by=by,
            reason=reason,
        )
    return locked


def override_tier(wallet: Wallet, tier: int, by, reason: str) -> TierChange:
    """Staff move a wallet to another tier, with a reason (the back office's action).
    Raises PermissionDenied without the override_tier permission, WalletError otherwise."""
    if not by.has_perm("wallet.override_tier"):
        raise PermissionDenied("You may not change a wallet's tier.")
    return move_wallet_to_tier(
        wallet, tier, source=TierChange.Source.STAFF, by=by, reason=_required_reason(reason)
    )


def move_wallet_to_tier(wallet, level: int, *, source: str, by=None, reason: str) -> TierChange:
    """Set the wallet's tier under its row lock and record the change (append-only). A wallet
    that was over its cap is no longer marked once the new tier's cap holds its balance."""
    if not KycTier.objects.filter(level=level).exists():
        raise WalletError(f"There is no tier {level}.")
    with db.atomic():
        locked = lock_wallets([wallet.pk])[wallet.pk]
        change = TierChange.objects.create(
            wallet=locked,
            from_level=locked.tier,
            to_level=level,
            source=source,
            changed_by=by,
            reason=reason[:500],
        )
        cap = KycTier.objects.get(level=level).balance_cap
        over = locked.over_tier_since if cap is not None and locked.balance > cap else None
        if over is None and cap is not None and locked.balance > cap:
            over = timezone.now()
        Wallet.objects.filter(pk=locked.pk).update(tier=level, over_tier_since=over)
    wallet.tier, wallet.over_tier_since = level, over
    return change


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WalletError("Give a reason: it is kept with the change.")
    return reason
