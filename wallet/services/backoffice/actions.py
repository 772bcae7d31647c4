"""`perform`: the one way a staff action runs. It checks the permission and the row on the
server, requires a reason, turns a large or always-checked action into an approval request,
calls the service and writes the audit entry, whatever the outcome."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from wallet.exceptions import ActionNotAllowed, WalletError
from wallet.models import ApprovalRequest, AuditOutcome
from wallet.services.backoffice import audit, exposure
from wallet.services.backoffice.catalogue import ACTIONS
from wallet.services.backoffice.staff_action import StaffAction


class ReasonRequired(WalletError):
    default_message = "Give a reason: it is kept in the audit log."


@dataclass(frozen=True)
class Outcome:
    message: str
    approval: ApprovalRequest | None = None


def action_named(name: str) -> StaffAction:
    try:
        return ACTIONS[name]
    except KeyError:
        raise ActionNotAllowed("There is no such action.")


def may(user, action: StaffAction) -> bool:
    return user.is_active and user.is_staff and user.has_perm(f"wallet.{action.permission}")


def offered(user, action: StaffAction, target) -> bool:
    """Whether the confirmation page offers this action on this row to this user."""
    return may(user, action) and (target is None or action.applies(target))


def actions_for(user, target) -> list[StaffAction]:
    """The actions the user may take on `target` (for its page and the customer page)."""
    model = type(target)._meta.concrete_model  # a proxy (refundable deposits) is its model
    return [a for a in ACTIONS.values() if a.model is model and offered(user, a, target)]


def check(user, action: StaffAction, target) -> None:
    """Raise ActionNotAllowed unless `user` may take `action` on `target` now."""
    if not may(user, action):
        raise ActionNotAllowed(f"Your role does not allow “{action.label}”.")
    if target is not None and not action.applies(target):
        raise ActionNotAllowed(f"“{action.label}” does not apply to {target} in its current state.")


MONEY_ACTIONS = [a.name for a in ACTIONS.values() if a.moves_money]


def perform(*, actor, name: str, target, raw: dict, reason: str, ip_address=None) -> Outcome:
    """Run (or request) one staff action. Raises ActionNotAllowed, ReasonRequired, or the
    service's WalletError; a refusal is audited too and nothing moves.

    An action that moves money runs under an advisory lock on its target and its maker, so
    that the approval threshold counts everything the target has had (exposure.py) even when
    two requests come at once."""
    action = action_named(name)
    if not action.moves_money:
        return _perform(actor, action, target, raw, reason, ip_address)
    with exposure.serialized(*exposure.lock_keys(target, actor)):
        return _perform(actor, action, target, raw, reason, ip_address)


def _perform(actor, action, target, raw, reason, ip_address) -> Outcome:
    name = action.name
    reason = (reason or "").strip()
    entry = {"actor": actor, "action": name, "reason": reason, "target": target}
    try:
        check(actor, action, target)
        if not reason:
            raise ReasonRequired()
        params = action.clean(target, raw)
        amount = action.amount(target, params)
    except WalletError as error:
        _refused(entry, error, ip_address)
        raise
    currency = audit.currency_of(target)
    cumulative = exposure.over_limits(action, target, actor, amount, MONEY_ACTIONS)
    if action.needs_approval(amount) or cumulative:
        request = open_request(
            maker=actor, action=action, target=target, params=params, amount=amount,
            currency=currency, reason=reason,
        )  # fmt: skip
        why = f" {cumulative}" if cumulative and not action.needs_approval(amount) else ""
        audit.record(
            **entry, outcome=AuditOutcome.REQUESTED, amount=amount, currency=currency,
            ip_address=ip_address, approval=request,
            detail=f"Waiting for {_checker_of(action)}.{why}",
        )  # fmt: skip
        return Outcome(f"Request created: {_checker_of(action)} must approve it.", request)
    message = run(
        action=action, target=target, params=params, entry=entry, amount=amount,
        currency=currency, ip_address=ip_address,
    )  # fmt: skip
    return Outcome(message)


def _checker_of(action) -> str:
    if action.changes_access:
        return "a second person who may approve access changes"
    return "a second Finance user"


def open_request(*, maker, action, target, params, amount, currency, reason) -> ApprovalRequest:
    """Record a requested action; nothing moves until approvals.approve."""
    hours = settings.BACKOFFICE_APPROVAL_HOURS
    return ApprovalRequest.objects.create(
        action=action.name,
        target_type=audit.target_type(target),
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        customer=audit.customer_of(target),
        params=params,
        amount=amount,
        currency=currency,
        reason=reason,
        maker=maker,
        expires_at=timezone.now() + timedelta(hours=hours),
    )


def run(*, action, target, params, entry, amount, currency, ip_address, approval=None):
    """Call the service and audit the result (done, or refused with the service's message)."""
    before = audit.snapshot(target)
    common = {
        "amount": amount,
        "currency": currency,
        "ip_address": ip_address,
        "approval": approval,
    }
    try:
        extra = (entry["actor"],) if action.wants_actor else ()
        message = action.run(target, params, entry["reason"], *extra)
    except WalletError as error:
        audit.record(
            **entry, **common, outcome=AuditOutcome.REFUSED, before=before, detail=error.message
        )
        raise
    after = audit.snapshot(target)
    outcome = AuditOutcome.APPROVED if approval else AuditOutcome.DONE
    audit.record(**entry, **common, outcome=outcome, before=before, after=after, detail=message)
    return message


def _refused(entry, error, ip_address):
    audit.record(**entry, outcome=AuditOutcome.REFUSED, detail=error.message, ip_address=ip_address)
