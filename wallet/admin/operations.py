"""The back office's operations pages (issue 21): the global search in every page's header,
a money object's timeline, any filtered list as CSV, and bulk staff actions (one confirmation,
one audited action per row, each through actions.perform)."""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import strip_tags
from django.views.decorators.http import require_GET

from wallet.admin import freshness
from wallet.admin.door import staff_door
from wallet.client_address import client_address
from wallet.exceptions import ActionNotAllowed, WalletError
from wallet.models import AuditOutcome, Transaction
from wallet.selectors.global_search import global_search
from wallet.selectors.timeline import money_object, timeline
from wallet.services.backoffice import actions, audit

# Which permission opens each group of the global search's results.
SEARCH_GROUPS = {
    "customers": "accounts.view_user",
    "transactions": "wallet.view_transaction",
    "payouts": "wallet.view_payout",
    "refunds": "wallet.view_refund",
    "webhooks": "wallet.view_webhookevent",
}
BULK_MAX = 100


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


@require_GET
def search(request):
    """Whatever a caller reads out; results grouped, each linking to its page."""
    user = request.user
    results = global_search(
        request.GET.get("q", ""), may_see=lambda group: user.has_perm(SEARCH_GROUPS[group])
    )
    return TemplateResponse(
        request, "backoffice/search.html",
        _context(request, title=f"Search: {results.term}" if results.term else "Search",
                 results=results, global_query=results.term),
    )  # fmt: skip


@require_GET
def money_timeline(request, tx_id):
    if not request.user.has_perm("wallet.view_transaction"):
        raise PermissionDenied
    try:
        tx = money_object(tx_id)
    except Transaction.DoesNotExist:
        raise Http404("No such transaction.")
    return TemplateResponse(
        request, "backoffice/timeline.html",
        _context(request, title=f"Timeline of {tx.reference}", tx=tx, moments=timeline(tx)),
    )  # fmt: skip


class _Echo:
    def write(self, value):
        return value


def formula_safe(value) -> str:
    # A spreadsheet runs a cell starting with = + - @ (or a tab/CR) as a formula.
    text = strip_tags(str(value if value is not None else ""))
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def export_list(request, app_label, model_name):
    """The list exactly as shown (its search, filters, dates and columns) as CSV: streamed,
    formula-safe, and audited (who exported what)."""
    model_admin = _model_admin(app_label, model_name)
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    changelist = model_admin.get_changelist_instance(request)
    columns = [name for name in changelist.list_display if name != "action_checkbox"]
    headers = [_header(model_admin, name) for name in columns]
    rows = changelist.queryset
    audit.record(
        actor=request.user, action="export_csv", outcome=AuditOutcome.DONE,
        reason=f"CSV of {model_admin.model._meta.verbose_name_plural}",
        target=None, detail=request.GET.urlencode()[:1000],
        ip_address=client_address(request),
    )  # fmt: skip
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(headers)
        for obj in rows.iterator(chunk_size=500):
            yield writer.writerow([formula_safe(_value(model_admin, obj, n)) for n in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{model_name}.csv"'
    return response


def _model_admin(app_label, model_name):
    for model, model_admin in admin.site._registry.items():
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name):
            return model_admin
    raise Http404("No such list.")


def _header(model_admin, name):
    from django.contrib.admin.utils import label_for_field

    return str(label_for_field(name, model_admin.model, model_admin))


def _value(model_admin, obj, name):
    from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field

    field, attr, value = lookup_field(name, obj, model_admin)
    if field is not None:
        return display_for_field(value, field, "")
    boolean = getattr(attr, "boolean", False)
    return display_for_value(value, "", boolean)


@staff_door
def bulk_action(request, name):
    """GET: the chosen rows, what will happen, a required reason. POST: the action runs on
    each row through actions.perform (its permission, its audit entry), one at a time."""
    try:
        action = actions.action_named(name)
    except ActionNotAllowed:
        raise Http404("No such action.")
    if action.model is None or freshness.needs_fresh_code(action):
        # Money and access actions ask a fresh code and a checker per row: one at a time.
        raise Http404("This action is done one row at a time.")
    ids = _ids(request)
    targets = list(action.model._default_manager.filter(pk__in=ids).order_by("pk"))
    if not actions.may(request.user, action):
        if request.method == "POST":  # perform audits each refusal, with the reason given
            for target in targets:
                _perform(request, name, target, request.POST.get("reason", ""))
        raise PermissionDenied(f"Your role does not allow “{action.label}”.")
    outcomes, error, status = [], None, 200
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        if not reason:
            error, status = "Give a reason: it is kept in the audit log of each row.", 422
        else:
            outcomes = [_perform(request, name, target, reason) for target in targets]
            done = sum(1 for _, ok, _ in outcomes if ok)
            messages.info(request, f"{action.label}: {done} of {len(outcomes)} done.")
    return TemplateResponse(
        request, "backoffice/bulk.html",
        _context(request, title=f"{action.label}: {len(targets)} rows", action=action,
                 targets=targets, ids=",".join(str(t.pk) for t in targets), outcomes=outcomes,
                 error=error,
                 back=reverse(f"admin:{action.model._meta.app_label}_"
                              f"{action.model._meta.model_name}_changelist")),
        status=status,
    )  # fmt: skip


def _ids(request) -> list[int]:
    raw = request.POST.get("ids") or request.GET.get("ids") or ""
    ids = []
    for part in raw.split(",")[:BULK_MAX]:
        if not part.strip().isdigit() or not part.strip().isascii():
            raise Http404("Choose rows from the list.")
        ids.append(int(part))
    if not ids:
        raise Http404("Choose rows from the list.")
    return ids


def _perform(request, name, target, reason):
    try:
        outcome = actions.perform(
            actor=request.user, name=name, target=target, raw={}, reason=reason,
            ip_address=client_address(request),
        )  # fmt: skip
    except WalletError as refused:
        return target, False, refused.message
    return target, True, outcome.message


def bulk(name: str):
    """A list action: the chosen rows go to one confirmation page for staff action `name`."""
    staff_action = actions.ACTIONS[name]

    def go(modeladmin, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:BULK_MAX])
        return redirect(f"{reverse('admin:bulk', args=[name])}?ids={ids}")

    go.__name__ = f"bulk_{name}"
    go.short_description = f"{staff_action.label} (each selected row, one reason)…"
    go.staff_action = name
    return go
