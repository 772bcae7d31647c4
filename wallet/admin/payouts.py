"""Back office for payouts: banks, bank accounts, payouts (verify, retry, OTP), settlements and
schedules. Actions are confirmed staff actions; nothing here moves money by itself.

A schedule's wallet and bank account cannot be re-pointed here (read-only once it exists), and
a schedule saved here goes through the settlement service, which checks the account and
computes its next run."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from wallet.admin.base import (
    BackOfficeAdmin,
    ReadOnlyAdmin,
    aged,
    confirm,
    customer_link,
    naira,
    timeline_link,
)
from wallet.admin.operations import bulk
from wallet.models import (
    IN_FLIGHT_STATUSES,
    Bank,
    BankAccount,
    Payout,
    Settlement,
    SettlementRun,
    SettlementSchedule,
    TransactionStatus,
)


@admin.register(Bank)
class BankAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "currency", "country", "active", "synced_at"]
    list_filter = ["active", "currency"]
    search_fields = ["name", "code", "slug"]


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyAdmin):
    list_display = [
        "account_name", "bank", "masked_number", "wallet", "is_active", "is_default", "created_at",
    ]  # fmt: skip
    list_filter = ["is_active", "bank"]
    search_fields = ["account_name", "=account_number", "=recipient_code", "wallet__user__email"]
    list_select_related = ["bank", "wallet__user"]


class PayoutState(admin.SimpleListFilter):
    """What the dashboard links to: in flight, stuck, awaiting OTP, inconclusive."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("in_flight", "In flight"), ("stuck", "Stuck"), ("otp", "Awaiting OTP"),
                ("inconclusive", "Inconclusive (last call failed)")]  # fmt: skip

    def queryset(self, request, queryset):
        open_rows = queryset.filter(transaction__status__in=IN_FLIGHT_STATUSES)
        minutes = settings.BACKOFFICE_STUCK_PAYOUT_MINUTES
        return {
            "in_flight": lambda: open_rows,
            "stuck": lambda: open_rows.filter(
                transaction__created_at__lt=timezone.now() - timedelta(minutes=minutes)
            ),
            "otp": lambda: queryset.filter(transaction__status=TransactionStatus.OTP),
            "inconclusive": lambda: open_rows.exclude(last_error=""),
        }.get(self.value(), lambda: queryset)()


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = [
        "reference", "status", naira("transaction__amount", "Amount"), "age", "customer",
        "bank_account", "last_error_line", "timeline",
    ]  # fmt: skip
    list_filter = [PayoutState, "transaction__status", "transaction__transaction_type"]
    search_fields = ["reference", "=transfer_code", "=bank_account__account_number"]
    search_help_text = "A reference or part of it, a transfer code, or the account number."
    list_select_related = ["transaction__wallet__user", "bank_account__bank"]
    list_defer = ["transaction__metadata", "transaction__wallet__user__phone"]  # not shown
    readonly_fields = [f.name for f in Payout._meta.fields]
    ordering = ["-id"]
    actions = [
        confirm("verify_payout"), confirm("retry_payout"), confirm("enter_transfer_otp"),
        bulk("verify_payout"),
    ]  # fmt: skip

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if len(term) >= 3 and not term.isdigit() and not term.upper().startswith("TRF_"):
            return queryset.filter(reference__icontains=term), False
        return super().get_search_results(request, queryset, term)

    @admin.display(description="Status")
    def status(self, payout):
        return payout.transaction.get_status_display()

    @admin.display(description="In flight for")
    def age(self, payout):
        tx = payout.transaction
        if tx.status not in IN_FLIGHT_STATUSES:
            return "—"
        return aged(tx.created_at, settings.BACKOFFICE_STUCK_PAYOUT_MINUTES)

    @admin.display(description="Customer")
    def customer(self, payout):
        return customer_link(payout.transaction.wallet.user)

    @admin.display(description="Last error (open payouts)")
    def last_error_line(self, payout):
        # A settled payout's old error is history, not its state (one status per payout).
        if payout.transaction.status not in IN_FLIGHT_STATUSES or not payout.last_error:
            return "—"
        return payout.last_error.splitlines()[0][:120]

    @admin.display(description="Timeline")
    def timeline(self, payout):
        return timeline_link(payout.transaction_id)

    def page_links(self, payout):
        return [
            ("Customer page", reverse("admin:customer", args=[payout.transaction.wallet.user_id])),
            ("Timeline", reverse("admin:timeline", args=[payout.transaction_id])),
        ]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = [
        "reference", "wallet", naira("amount"), "status", "bank_account", "schedule",
        "created_at",
    ]  # fmt: skip
    list_filter = ["transaction__status"]
    search_fields = ["=transaction__reference", "wallet__user__email"]
    list_select_related = [
        "transaction", "wallet__user", "bank_account__bank", "schedule__bank_account__bank",
    ]  # fmt: skip
    actions = [confirm("retry_settlement")]


class SettlementRunInline(admin.TabularInline):
    model = SettlementRun
    extra = 0
    fields = ["period", "outcome", "reason", "settlement"]
    readonly_fields = fields
    ordering = ["-period"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SettlementSchedule)
class SettlementScheduleAdmin(SimpleHistoryAdmin, BackOfficeAdmin):
    """Edited only through the "Edit settlement schedule" action (values before and after)."""

    list_display = [
        "wallet", "schedule_type", "bank_account", "is_active", "next_settlement", "last_run_at",
    ]  # fmt: skip
    list_filter = ["schedule_type", "is_active"]
    search_fields = ["wallet__user__email"]
    list_select_related = ["wallet__user", "bank_account__bank"]
    raw_id_fields = ["wallet", "bank_account"]
    inlines = [SettlementRunInline]
    actions = [confirm("edit_schedule"), confirm("pause_schedule")]


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "period", "outcome", "reason", "settlement"]
    list_filter = ["outcome"]
    search_fields = ["schedule__wallet__user__email", "reason"]
    list_select_related = ["schedule__bank_account__bank", "settlement__transaction"]
