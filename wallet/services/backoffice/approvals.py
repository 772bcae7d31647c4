"""Maker-checker: a second Finance user approves (or rejects) a requested action.

The request leaves `pending` by one guarded UPDATE, so of two approvals at once only one
runs the action; an expired request can no longer be approved. The action itself runs after
that commit (a refund calls Paystack, never inside a database transaction).
"""

from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from wallet.exceptions import ActionNotAllowed, ApprovalNotPending, WalletError
from wallet.models import ApprovalRequest, ApprovalStatus, AuditOutcome
from wallet.services.backoffice import audit
from wallet.services.backoffice.access_actions import whose_access
from wallet.services.backoffice.actions import ReasonRequired, action_named, run

APPROVE = "wallet.approve_request"
APPROVERS = ("wallet.approve_request", "wallet.approve_access_change")


def may_decide_some(user) -> bool:
    """Whether `user` may open the page deciding requests (each request says who may)."""
    return any(user.has_perm(permission) for permission in APPROVERS)


def target_of(request: ApprovalRequest):
    if not request.target_type:
        return None
    model = apps.get_model(request.target_type)
    return model.objects.get(pk=request.target_id)


def check_checker(request: ApprovalRequest, checker) -> None:
    action = action_named(request.action)
    permission = f"wallet.{action.approver}"
    if not (checker.is_active and checker.is_staff and checker.has_perm(permission)):
        raise ActionNotAllowed("Your role does not allow approving this kind of request.")
    if checker.pk == request.maker_id:
        raise ActionNotAllowed("You made this request: a second person must approve it.")
    if action.changes_access and checker.pk in whose_access(action, target_of(request)):
        raise ActionNotAllowed("This request changes your own access: someone else decides it.")


def approve(*, request: ApprovalRequest, checker, note: str, ip_address=None) -> str:
    """Approve and run the requested action once. Raises ActionNotAllowed (own request, no
    permission, the row's state no longer allows it), ApprovalNotPending (decided or
    expired), or the action's WalletError. Every refusal is audited."""
    with refusals_audited(request, checker, note, ip_address):
        check_checker(request, checker)
        if not (note or "").strip():
            raise ReasonRequired()
        action = action_named(request.action)
        target = target_of(request)
        if target is not None and not action.applies(target):
            _claim(request, checker, ApprovalStatus.FAILED)
            _finish(request, ApprovalStatus.FAILED, "The row's state no longer allows it.")
            raise ActionNotAllowed(
                f"“{action.label}” no longer applies to {target} in its current state."
            )
        _claim(request, checker, ApprovalStatus.APPROVED)
    request.refresh_from_db()
    entry = {"actor": checker, "action": request.action, "target": target,
             "reason": f"{request.reason} — approved: {note.strip()}"}  # fmt: skip
    try:
        message = run(
            action=action, target=target, params=request.params, entry=entry,
            amount=request.amount, currency=request.currency, ip_address=ip_address,
            approval=request,
        )  # fmt: skip
    except WalletError as error:
        _finish(request, ApprovalStatus.FAILED, error.message)
        raise
    _finish(request, ApprovalStatus.APPROVED, message)
    return message


def reject(*, request: ApprovalRequest, checker, note: str, ip_address=None) -> None:
    """Reject a pending request: nothing moves; audited (a refused rejection too)."""
    with refusals_audited(request, checker, note, ip_address):
        check_checker(request, checker)
        if not (note or "").strip():
            raise ReasonRequired()
        _claim(request, checker, ApprovalStatus.REJECTED)
    request.refresh_from_db()
    _finish(request, ApprovalStatus.REJECTED, note.strip())
    audit.record(
        actor=checker, action=request.action, outcome=AuditOutcome.REJECTED,
        reason=note.strip(), target=target_of(request), amount=request.amount,
        currency=request.currency, ip_address=ip_address, approval=request,
    )  # fmt: skip


@contextmanager
def refusals_audited(request: ApprovalRequest, checker, note, ip_address):
    """A decision refused (wrong role, own request, decided or expired, state changed) is
    kept in the audit log with the checker, the request's target, the note and why."""
    try:
        yield
    except WalletError as error:
        audit.record(
            actor=checker, action=request.action, outcome=AuditOutcome.REFUSED,
            reason=(note or "").strip(), target=_target_or_none(request),
            amount=request.amount, currency=request.currency, ip_address=ip_address,
            approval=request, detail=f"Decision on request #{request.pk}: {error.message}",
        )  # fmt: skip
        raise


def _target_or_none(request):
    try:
        return target_of(request)
    except (LookupError, ObjectDoesNotExist, ValueError):
        return None


def expire_old_requests() -> int:
    """Mark pending requests past their expiry as expired (nothing moves)."""
    return ApprovalRequest.objects.filter(
        status=ApprovalStatus.PENDING, expires_at__lte=timezone.now()
    ).update(status=ApprovalStatus.EXPIRED, decided_at=timezone.now())


def pending_requests():
    return ApprovalRequest.objects.filter(
        status=ApprovalStatus.PENDING, expires_at__gt=timezone.now()
    ).select_related("maker")


def _claim(request, checker, status) -> None:
    """pending -> status, once: the winner of concurrent decisions is whoever updates the row."""
    now = timezone.now()
    claimed = ApprovalRequest.objects.filter(
        Q(pk=request.pk, status=ApprovalStatus.PENDING, expires_at__gt=now)
    ).update(status=status, checker=checker, decided_at=now)
    if claimed:
        return
    expire_old_requests()
    request.refresh_from_db()
    raise ApprovalNotPending(
        f"This request is {request.get_status_display().lower()}; it can no longer be decided."
    )


def _finish(request, status, result) -> None:
    ApprovalRequest.objects.filter(pk=request.pk).update(status=status, result=result[:4000])
    request.status, request.result = status, result
