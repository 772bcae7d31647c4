"""The back office's own pages: dashboard figures, the customer page, the confirmation page
of every staff action, deciding a request, the OTP queue and the audit export."""

import csv

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from wallet.admin import freshness
from wallet.admin.base import admin_url
from wallet.admin.door import staff_door
from wallet.charts import balance_chart
from wallet.client_address import client_address
from wallet.exceptions import ActionNotAllowed, WalletError
from wallet.models import ApprovalRequest, AuditEntry, Payout, SystemAccount, TransactionStatus
from wallet.services.backoffice import actions, approvals, audit
from wallet.services.backoffice.adjustments import ADJUSTMENT_ACCOUNTS
from wallet.services.backoffice.alerts import age_text, current_alerts
from wallet.services.backoffice.customer import customer_overview
from wallet.services.backoffice.dashboard import dashboard

AUDIT_COLUMNS = [
    "created_at", "actor", "action", "outcome", "target_type", "target_id", "target_repr",
    "customer", "reason", "amount", "currency", "before", "after", "detail", "ip_address",
    "approval_id",
]  # fmt: skip


def client_ip(request) -> str | None:
    # Behind our own proxies, the client they name (TRUSTED_PROXIES), not the proxy.
    return client_address(request)


def _context(request, **extra):
    from django.contrib import admin

    return {**admin.site.each_context(request), **extra}


# Each dashboard figure and the permission its list needs: a role sees only the figures whose
# list it may open (a link to a page it cannot open ended on the 403 page).
FIGURE_PERMISSIONS = {
    "wallets": "wallet.view_wallet",
    "ledger_checks": "wallet.view_ledgercheck",
    "ledger_entries": "wallet.view_ledgerentry",
    "payouts": "wallet.view_payout",
    "otp": "wallet.enter_transfer_otp",
    "transactions": "wallet.view_transaction",
    "webhooks": "wallet.view_webhookevent",
    "refunds": "wallet.view_refund",
    "reconciliation_runs": "wallet.view_reconciliationrun",
    "mismatches": "wallet.view_reconciliationmismatch",
    "requests": "wallet.view_approvalrequest",
    "disputes": "wallet.view_dispute",
}

ALERT_LISTS = {
    "payout": "payouts", "charge": "transactions", "mismatch": "mismatches",
    "ledger": "ledger_checks", "webhooks": "webhooks", "dispute": "disputes",
}  # fmt: skip


def dashboard_context(request) -> dict:
    if not request.user.has_perm("wallet.view_dashboard"):
        return {"dashboard": None}
    figures = dashboard()
    can = {key: request.user.has_perm(perm) for key, perm in FIGURE_PERMISSIONS.items()}
    fetched_at = figures["paystack_balance_at"]
    return {
        "can": can,
        "balance_age": age_text(figures["now"] - fetched_at) if fetched_at else None,
        "alerts": [a for a in current_alerts(figures["now"]) if can[ALERT_LISTS[a.kind]]],
        "dashboard": figures,
        "chart": balance_chart(figures["volumes"]["daily"]),
        "system_accounts": SystemAccount.choices,
        "pending_requests": approvals.pending_requests().count(),
        "stuck_minutes": settings.BACKOFFICE_STUCK_PAYOUT_MINUTES,
        "site_actions": [
            a for a in actions.ACTIONS.values() if a.model is None and actions.may(request.user, a)
        ],
    }


def customer_page(request, user_id):
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    try:
        overview = customer_overview(user_id)
    except apps.get_model("accounts", "User").DoesNotExist:
        raise Http404("No such customer.")
    user = request.user
    overview["customer_actions"] = actions.actions_for(user, overview["customer"])
    overview["wallet_actions"] = {w.pk: actions.actions_for(user, w) for w in overview["wallets"]}
    overview["tx_actions"] = {t.pk: actions.actions_for(user, t) for t in overview["transactions"]}
    return TemplateResponse(
        request,
        "backoffice/customer.html",
        _context(request, title=f"Customer: {overview['customer'].email}", **overview),
    )


def _target(action, pk):
    if action.model is None:
        if pk is not None:
            raise Http404
        return None
    if pk is None:
        raise Http404
    return get_object_or_404(action.model, pk=pk)


@staff_door
def confirm_action(request, name, pk=None):
    """GET: what will happen, for what amount, and a required reason. POST: do it."""
    try:
        action = actions.action_named(name)
    except ActionNotAllowed:
        raise Http404("No such action.")
    target = _target(action, pk)
    allowed = actions.may(request.user, action)
    if not allowed and request.method != "POST":
        raise PermissionDenied(f"Your role does not allow “{action.label}”.")
    error, status = None, 200
    if request.method == "POST":
        try:  # perform checks the role too, and audits a refusal whatever its cause
            if allowed and freshness.needs_fresh_code(action):
                _fresh_code(request, action.name, target)
            outcome = actions.perform(
                actor=request.user, name=name, target=target, raw=request.POST,
                reason=request.POST.get("reason", ""), ip_address=client_ip(request),
            )  # fmt: skip
        except ActionNotAllowed as refused:
            if not allowed:
                raise PermissionDenied(refused.message)
            error, status = refused.message, 409
        except WalletError as refused:
            error, status = refused.message, 422
        else:
            messages.success(request, outcome.message)
            return redirect(admin_url(target) if target is not None else reverse("admin:index"))
    elif target is not None and not action.applies(target):
        error, status = f"“{action.label}” does not apply to this row in its current state.", 409
    return TemplateResponse(
        request,
        "backoffice/confirm.html",
        _context(
            request,
            title=action.label,
            action=action,
            target=target,
            error=error,
            amount=_amount_preview(action, target),
            values=request.POST if request.method == "POST" else _initial(action, target),
            config_fields=action.fields(target) if action.fields and target is not None else [],
            needs_code=freshness.needs_fresh_code(action) and not freshness.code_is_fresh(request),
            currency=audit.currency_of(target) if target is not None else "",
            accounts=[(code, SystemAccount(code).label) for code in ADJUSTMENT_ACCOUNTS],
            threshold=_threshold(),
            back=admin_url(target) if target else reverse("admin:index"),
            audit_entries=audit.entries_about(target)[:10] if target is not None else [],
        ),  # fmt: skip
        status=status,
    )


def _fresh_code(request, name, target, approval=None) -> None:
    """A money request, an access change or their approval needs a recent TOTP code; a
    refusal is audited like any other."""
    try:
        freshness.require_fresh_code(request)
    except freshness.FreshCodeNeeded as refused:
        audit.record(
            actor=request.user, action=name, outcome="refused", target=target,
            reason=request.POST.get("reason") or request.POST.get("note") or "",
            detail=refused.message, ip_address=client_ip(request), approval=approval,
        )  # fmt: skip
        raise


def _initial(action, target) -> dict:
    return action.initial(target) if target is not None else {}


def _amount_preview(action, target):
    if target is None:
        return None
    try:
        return action.amount(target, {})
    except (KeyError, TypeError, WalletError):
        return None


def _threshold():
    from django.conf import settings

    return settings.BACKOFFICE_APPROVAL_THRESHOLD


@staff_door
def decide_request(request, pk):
    """A second Finance user approves or rejects a request, with a note."""
    allowed = approvals.may_decide_some(request.user)
    if not allowed and request.method != "POST":
        raise PermissionDenied("Your role does not allow approving requests.")
    approval = get_object_or_404(ApprovalRequest.objects.select_related("maker"), pk=pk)
    error, status = None, 200
    if request.method == "POST":
        decide = (
            approvals.approve if request.POST.get("decision") == "approve" else approvals.reject
        )
        try:
            if allowed and freshness.needs_fresh_code(actions.action_named(approval.action)):
                _fresh_code(request, approval.action, approvals._target_or_none(approval), approval)
            message = decide(
                request=approval, checker=request.user, note=request.POST.get("note", ""),
                ip_address=client_ip(request),
            ) or "Rejected: nothing moved."  # fmt: skip
        except ActionNotAllowed as refused:  # audited by approvals, whatever the cause
            if not allowed:
                raise PermissionDenied(refused.message)
            error, status = refused.message, 403
        except WalletError as refused:
            error, status = refused.message, 422
        else:
            messages.success(request, message)
            return redirect(reverse("admin:wallet_approvalrequest_changelist"))
    return TemplateResponse(
        request,
        "backoffice/decide.html",
        _context(
            request,
            title=f"Request #{approval.pk}",
            approval=approval,
            error=error,
            needs_code=freshness.needs_fresh_code(actions.action_named(approval.action))
            and not freshness.code_is_fresh(request),
            audit_entries=approval.audit_entries.select_related("actor"),
        ),  # fmt: skip
        status=status,
    )


@require_GET
def otp_queue(request):
    """Finance: the Paystack transfers waiting for the OTP sent to the business."""
    if not request.user.has_perm("wallet.enter_transfer_otp"):
        raise PermissionDenied
    waiting = (
        Payout.objects.filter(transaction__status=TransactionStatus.OTP)
        .select_related("transaction__wallet__user", "bank_account__bank", "beneficiary__bank")
        .order_by("created_at")[:200]
    )
    return TemplateResponse(
        request, "backoffice/otp_queue.html",
        _context(request, title="Transfers awaiting OTP", payouts=waiting),
    )  # fmt: skip


class _Echo:
    def write(self, value):
        return value


@require_GET
def audit_csv(request):
    """The audit log (with the list's filters) as CSV, streamed."""
    if not request.user.has_perm("wallet.export_audit"):
        raise PermissionDenied
    # The list's own queryset: its search, filters and dates, exactly what it shows.
    from django.contrib import admin

    changelist = admin.site._registry[AuditEntry].get_changelist_instance(request)
    entries = changelist.queryset.select_related("actor", "customer")
    writer = csv.writer(_Echo())
    rows = (writer.writerow(_csv_row(e)) for e in entries.iterator(chunk_size=500))
    response = StreamingHttpResponse(_with_header(writer, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _with_header(writer, rows):
    yield writer.writerow(AUDIT_COLUMNS)
    yield from rows


def _csv_row(entry):
    return [_cell(value) for value in _values(entry)]


def _cell(value):
    # A spreadsheet runs a cell starting with = + - @ as a formula; staff reasons are free text.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _values(entry):
    return [
        entry.created_at.isoformat(), entry.actor.email if entry.actor else "", entry.action,
        entry.outcome, entry.target_type, entry.target_id, entry.target_repr,
        entry.customer.email if entry.customer else "", entry.reason, entry.amount or "",
        entry.currency, entry.before, entry.after, entry.detail, entry.ip_address or "",
        entry.approval_id or "",
    ]  # fmt: skip
