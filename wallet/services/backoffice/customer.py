"""The customer "360" page's reads: one customer, everything about them, bounded lists."""

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.utils import timezone

from wallet.models import (
    ApiToken,
    ApprovalRequest,
    AuditEntry,
    BankAccount,
    Card,
    CustomerNote,
    DedicatedAccount,
    KnownDevice,
    KycTier,
    Payout,
    Refund,
    SettlementSchedule,
    Transaction,
)

RECENT = 20


def customer_overview(user_id: int) -> dict:
    """Identity, wallets, recent money and sessions, and the audit entries about them.
    Raises User.DoesNotExist."""
    user = get_user_model().objects.get(pk=user_id)
    wallets = list(user.wallets.order_by("pk"))
    ids = [w.pk for w in wallets]
    return {
        "customer": user,
        "wallets": wallets,
        "held": _held_by_wallet(ids),
        "transactions": list(
            Transaction.objects.filter(wallet_id__in=ids).order_by("-id")[:RECENT]
        ),
        "cards": list(Card.objects.filter(wallet_id__in=ids).order_by("-created_at")[:RECENT]),
        "bank_accounts": list(
            BankAccount.objects.filter(wallet_id__in=ids).select_related("bank")[:RECENT]
        ),
        "payouts": list(
            Payout.objects.filter(transaction__wallet_id__in=ids)
            .select_related("transaction", "bank_account__bank")
            .order_by("-created_at")[:RECENT]
        ),
        "schedules": list(
            SettlementSchedule.objects.filter(wallet_id__in=ids).select_related(
                "bank_account__bank"
            )
        ),
        "refunds": list(
            Refund.objects.filter(charge__wallet_id__in=ids)
            .select_related("charge")
            .order_by("-created_at")[:RECENT]
        ),
        "sessions": list(UserSession.objects.filter(user=user).order_by("-last_seen_at")[:10]),
        "audit_entries": list(
            AuditEntry.objects.filter(customer=user).select_related("actor")[:RECENT]
        ),
        "requests": list(
            ApprovalRequest.objects.filter(customer=user).select_related("maker")[:RECENT]
        ),
        "limits": [_limits_today(w) for w in wallets],
        "dedicated_accounts": list(DedicatedAccount.objects.filter(wallet_id__in=ids)),
        "devices": list(KnownDevice.objects.filter(user=user).order_by("-last_seen_at")[:RECENT]),
        "api_tokens": list(ApiToken.objects.filter(user=user).order_by("-created_at")[:RECENT]),
        "notes": list(CustomerNote.objects.filter(customer=user).select_related("author")[:50]),
    }


def _limits_today(wallet) -> dict:
    """The wallet's tier, what it sent today against its daily limit, its safety mode or
    cooling-off (and why), and whether the customer froze its outflows."""
    tier = KycTier.objects.filter(level=wallet.tier).first()
    today = timezone.localdate()
    used = wallet.outflow_total if wallet.outflow_date == today else 0
    safety = wallet.safety_until and wallet.safety_until > timezone.now()
    return {
        "wallet": wallet,
        "tier": tier,
        "used_today": used,
        "daily_limit": tier.daily_limit if tier else None,
        "safety_until": wallet.safety_until if safety else None,
        "safety_spent": wallet.safety_spent if safety else None,
        # "cooling_off" after a credential change, or "new_device" (issue 20).
        "safety_reason": wallet.safety_reason if safety else "",
        "frozen_since": wallet.outflows_frozen_at,
    }


def _held_by_wallet(wallet_ids) -> dict:
    """Money reserved but not yet gone, per wallet: open payouts and pending refunds."""
    held = {pk: 0 for pk in wallet_ids}
    open_payouts = (
        Transaction.objects.filter(
            wallet_id__in=wallet_ids, status__in=["pending", "processing", "otp"], direction="debit"
        )
        .exclude(transaction_type="deposit")
        .values_list("wallet_id", "amount", "fee")
    )
    for wallet_id, amount, fee in open_payouts:
        held[wallet_id] += amount + fee
    return held
