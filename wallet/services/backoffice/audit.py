"""The audit trail: one append-only AuditEntry per staff action, whatever its outcome."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wallet.models import (
    ApprovalRequest,
    AuditEntry,
    BankAccount,
    CustomerIdentification,
    FeeRule,
    KycTier,
    Payout,
    Settlement,
    SettlementSchedule,
    Transaction,
    Wallet,
    WebhookEvent,
)

# The fields that say what state a row is in, per model (before/after of an action).
STATE_FIELDS = {
    Wallet: ["balance", "is_locked", "tier"],
    Transaction: ["status", "amount", "fee"],
    Payout: ["paystack_status", "attempts", "last_error"],
    Settlement: ["amount"],
    SettlementSchedule: [
        "is_active", "next_settlement", "schedule_type", "time_of_day", "day_of_week",
        "day_of_month", "threshold_amount", "amount_mode", "fixed_amount", "minimum_balance",
        "maximum_amount", "bank_account_id",
    ],
    FeeRule: [
        "transaction_type", "min_amount", "max_amount", "flat", "percentage", "minimum", "cap",
        "bearer", "is_active",
    ],
    WebhookEvent: ["status", "attempts", "last_error"],
    ApprovalRequest: ["status"],
    CustomerIdentification: ["status", "target_level"],
    KycTier: [
        "daily_limit", "single_limit", "balance_cap", "allows_transfer", "allows_withdrawal",
        "allows_settlement", "version",
    ],
}  # fmt: skip


def target_type(target) -> str:
    return target._meta.concrete_model._meta.label_lower if target is not None else ""


def snapshot(target) -> dict:
    """The state of `target` as JSON-ready text (read fresh from the database)."""
    if target is None or target.pk is None:
        return {}
    model = type(target)._meta.concrete_model
    if model is get_user_model():
        return _access_snapshot(model.objects.get(pk=target.pk))
    if model is Group:
        from wallet.services.backoffice.access_actions import permission_names

        return {"permissions": permission_names(target)}
    names = STATE_FIELDS.get(model) or getattr(model, "AUDITED_FIELDS", [])
    if not names:
        return {}
    row = model.objects.filter(pk=target.pk).values(*names).first() or {}
    if model in (Payout, Settlement):
        row["status"] = (
            Transaction.objects.filter(pk=target.transaction_id)
            .values_list("status", flat=True)
            .first()
        )
    return {name: _text(value) for name, value in row.items()}


def _access_snapshot(user) -> dict:
    if not (user.is_staff or user.is_superuser):
        return {"is_active": user.is_active}  # a customer: whether they may sign in
    from wallet.services.backoffice.access_actions import access_of

    return access_of(user)


def currency_of(target) -> str:
    """The currency of the money an action on `target` moves ("" when none)."""
    for path in ("currency", "transaction.currency", "wallet.currency"):
        value = target
        for part in path.split("."):
            value = getattr(value, part, None)
        if isinstance(value, str) and value:
            return value
    return ""


def customer_of(target):
    """The customer an action is about, so their page lists it."""
    if target is None:
        return None
    model = type(target)._meta.concrete_model
    if model is get_user_model():
        return target
    if model is Wallet:
        return target.user
    if model in (Transaction, Settlement, SettlementSchedule, BankAccount, CustomerIdentification):
        return target.wallet.user
    if model is Payout:
        return target.transaction.wallet.user
    # Newer models name their customer themselves (disputes, support cases).
    return getattr(target, "audit_customer", None)


def record(
    *,
    actor,
    action: str,
    outcome: str,
    reason: str,
    target=None,
    amount: Decimal | None = None,
    currency: str = "",
    before: dict | None = None,
    after: dict | None = None,
    detail: str = "",
    ip_address: str | None = None,
    approval: ApprovalRequest | None = None,
) -> AuditEntry:
    """Append one audit entry (never changed afterwards)."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        outcome=outcome,
        reason=reason,
        target_type=target_type(target),
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        customer=customer_of(target),
        amount=amount,
        currency=currency,
        before=before or {},
        after=after or {},
        detail=detail[:4000],
        ip_address=ip_address,
        approval=approval,
    )


WRITE_OUTSIDE_DOOR = "write_outside_door"


def record_refused_write(*, actor, method: str, path: str, ip_address=None) -> AuditEntry:
    """A write sent to a back-office page that is not an action's door: refused, kept."""
    return AuditEntry.objects.create(
        actor=actor,
        action=WRITE_OUTSIDE_DOOR,
        outcome="refused",
        reason="",
        target_type="back office page",
        target_repr=path[:255],
        detail=f"{method} {path}: the back office is read-only outside a staff action's "
        "confirmation page; nothing was saved.",
        ip_address=ip_address,
    )


def entries_about(target):
    """The audit entries of one row (shown on its page), newest first."""
    return AuditEntry.objects.filter(
        target_type=target_type(target), target_id=str(target.pk)
    ).select_related("actor")


def _text(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
