"""Back office for payouts: banks, bank accounts, payouts (verify, retry, OTP), settlements and
schedules. Actions are confirmed staff actions; nothing here moves money by itself.

A schedule's wallet and bank account cannot be re-pointed here (read-only once it exists), and
a schedule saved here goes through the settlement service, which checks the account and
computes its next run."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from wallet.admin.base import BackOfficeAdmin, ReadOnlyAdmin, confirm, naira
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
        "reference", "status", naira("transaction__amount", "Amount"), "bank_account",
        "transfer_code", "attempts", "last_error", "updated_at",
    ]  # fmt: skip
    list_filter = [PayoutState, "transaction__status", "transaction__transaction_type"]
    search_fields = ["=reference", "=transfer_code", "bank_account__account_name"]
    list_select_related = ["transaction", "bank_account__bank"]
    readonly_fields = [f.name for f in Payout._meta.fields]
    ordering = ["-id"]
    actions = [confirm("verify_payout"), confirm("retry_payout"), confirm("enter_transfer_otp")]


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
