"""What every back-office screen shares: naira formatting, lists that never count the whole
table, links to a row's page, and the staff actions and audit entries on each object page."""

import json
from decimal import Decimal

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from wallet.admin.list_rows import CheapRows, url_with_id
from wallet.services.backoffice import actions, audit
from wallet.templatetags.wallet_web import money

# A list shows at most this many rows' worth of pages (20 pages of 50); search or filter to
# go further. Counting further costs a scan of that many rows on every page view.
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMITed subquery), never the whole table."""

    @cached_property
    def count(self):
        return self.object_list[: COUNT_CAP + 1].count()


def naira(field: str, label: str | None = None, *, none: str = "—"):
    """A list column showing `field` as ₦1,234,567.89 (the row's currency); `none` when empty."""

    @admin.display(description=label or field.replace("_", " ").capitalize(), ordering=field)
    def column(obj):
        value = obj
        for part in field.split("__"):
            value = getattr(value, part, None)
        if value is None:
            return none
        return money(Decimal(value), getattr(obj, "currency", None) or "NGN")

    column.__name__ = f"{field}_naira"
    return column


def admin_url(obj) -> str:
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return reverse("admin:index")


class BackOfficeAdmin(CheapRows, admin.ModelAdmin):
    """Fast lists on big tables, and each object's page with its actions and audit trail."""

    show_full_result_count = False
    paginator = CappedPaginator
    list_per_page = 50
    change_form_template = "backoffice/change_form.html"
    change_list_template = "backoffice/change_list.html"

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return actions_allowed(self, request, super().get_actions(request))

    def page_links(self, obj) -> list[tuple[str, str]]:
        """(label, url) links shown on the object's page: its customer, its timeline."""
        return []

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["staff_actions"] = actions.actions_for(request.user, obj)
            context["audit_entries"] = audit.entries_about(obj)[:20]
            context["page_links"] = self.page_links(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _is_money(model, name) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:  # not a model field (a method or a display callable)
        return False
    return isinstance(field, models.DecimalField) and field.decimal_places == 2


class ExactReferenceSearch:
    """Search by a reference in any case, whole or in part: `UPPER(reference) LIKE UPPER(%x%)`,
    which the trigram index of migration 0028 serves (PostgreSQL); under three characters,
    the exact reference only (the unique index)."""

    search_fields = ["reference"]
    search_help_text = "A reference or part of it (at least 3 characters), any case."

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if len(term) < 3:
            return queryset.filter(reference=term), False
        return queryset.filter(reference__icontains=term), False


def _kind(model, name) -> str:
    """How a field reads on a detail page: money, kobo, raw (JSON, folded), error (one line)."""
    if _is_money(model, name):
        return "naira"
    if name.endswith("_kobo"):
        return "kobo"
    try:
        field = model._meta.get_field(name)
    except Exception:  # not a model field
        return ""
    if isinstance(field, models.JSONField) or name in ("raw_body", "report"):
        return "raw"
    if name in ("last_error", "error", "failure_reason"):
        return "error"
    return ""


def readable(model, name):
    """The read-only display of field `name` as a person reads it (see `_kind`)."""
    kind = _kind(model, name)
    label = model._meta.get_field(name).verbose_name.capitalize()
    if kind == "naira":
        return naira(name)
    if kind == "kobo":
        label = label.replace(" kobo", "")

        @admin.display(description=label)
        def kobo(obj):
            value = getattr(obj, name)
            return "—" if value is None else money(Decimal(value) / 100)

        return kobo

    @admin.display(description=label)
    def shown(obj):
        value = getattr(obj, name)
        if value in (None, "", {}, []):
            return "—"
        if kind == "raw":
            text = value if isinstance(value, str) else json.dumps(value, indent=2, default=str)
            return format_html(
                '<details class="bo-raw"><summary>Raw payload</summary><pre>{}</pre></details>',
                text,
            )
        # An error reads as its first line: a traceback is for the logs, not the page.
        return str(value).strip().splitlines()[0][:300]

    return shown


class ReadOnlyAdmin(BackOfficeAdmin):
    """Money rows are changed only by services (through staff actions), never by editing them.
    Their pages read like documents: amounts as ₦1,234,567.89 (kobo too), errors as one line,
    raw JSON folded under "Raw payload"."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        shown = [f"{f}_shown" if _kind(self.model, f) else f for f in fields]
        return list(dict.fromkeys(shown))

    def __getattr__(self, name):
        # `<field>_shown`: the read-only display of a field on the object's page.
        if name.endswith("_shown") and _kind(self.model, name[: -len("_shown")]):
            return readable(self.model, name[: -len("_shown")])
        if name.endswith("_naira") and _is_money(self.model, name[: -len("_naira")]):
            return naira(name[: -len("_naira")])
        raise AttributeError(name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def confirm(name: str):
    """A list action that opens the confirmation page of staff action `name` for one row."""
    from django.contrib import messages
    from django.shortcuts import redirect

    staff_action = actions.ACTIONS[name]

    def go(modeladmin, request, queryset):
        rows = list(queryset[:2])
        if len(rows) != 1:
            modeladmin.message_user(
                request, "Choose exactly one row: each action is confirmed one at a time.",
                messages.WARNING,
            )  # fmt: skip
            return None
        return redirect(reverse("admin:action", args=[name, rows[0].pk]))

    go.__name__ = name
    go.short_description = f"{staff_action.label}… (confirm with a reason)"
    go.staff_action = name
    return go


def actions_allowed(modeladmin, request, available: dict) -> dict:
    """Only the list actions the user's role may take."""
    return {
        key: value
        for key, value in available.items()
        if not hasattr(value[0], "staff_action")
        or actions.may(request.user, actions.ACTIONS[value[0].staff_action])
    }


def customer_link(user):
    """A link to the customer page (every user, wallet and transaction page links to it)."""
    return format_html('<a href="{}">{}</a>', url_with_id("admin:customer", user.pk), user.email)


def timeline_link(tx_id):
    return format_html('<a href="{}">Timeline</a>', url_with_id("admin:timeline", tx_id))


def aged(since, threshold_minutes: int):
    """How long an item has waited; drawn as a problem past its threshold."""
    from django.utils import timezone

    from wallet.services.backoffice.alerts import age_text

    waited = timezone.now() - since
    text = age_text(waited)
    if waited.total_seconds() > threshold_minutes * 60:
        return format_html('<span class="bo-bad">{} (over {} min)</span>', text, threshold_minutes)
    return text
