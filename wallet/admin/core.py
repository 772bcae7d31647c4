"""Back office for wallets, transactions, the ledger, fee rules and ledger checks."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from wallet.admin.base import (
    BackOfficeAdmin,
    ExactReferenceSearch,
    ReadOnlyAdmin,
    confirm,
    naira,
)
from wallet.models import FeeRule, LedgerCheck, LedgerEntry, Transaction, Wallet
from wallet.models.transaction import TransactionStatus, TransactionType


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fk_name = "journal"
    fields = ["wallet", "system_account", "amount", "currency", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CreatedWithin(admin.SimpleListFilter):
    """A date drill-down that is a range on created_at (no DISTINCT dates over the table)."""

    title = "created"
    parameter_name = "created"
    SPANS = {"today": 0, "7d": 7, "30d": 30, "90d": 90}

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("7d", "Last 7 days"), ("30d", "Last 30 days"),
                ("90d", "Last 90 days")]  # fmt: skip

    def queryset(self, request, queryset):
        days = self.SPANS.get(self.value())
        if days is None:
            return queryset
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return queryset.filter(created_at__gte=start - timedelta(days=days))


class NeedsAttention(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("old_pending_charges", "Pending charges older than an hour")]

    def queryset(self, request, queryset):
        if self.value() == "old_pending_charges":
            return queryset.filter(
                transaction_type=TransactionType.DEPOSIT,
                status=TransactionStatus.PENDING,
                created_at__lt=timezone.now() - timedelta(hours=1),
            )
        return queryset


@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer", "currency", naira("balance"), "is_locked", "created_at"]
    list_filter = ["currency", "is_locked"]
    search_fields = ["=id", "user__email"]
    list_select_related = ["user"]
    actions = [confirm("lock_wallet"), confirm("unlock_wallet"), confirm("adjust_balance"),
               confirm("create_schedule")]  # fmt: skip

    @admin.display(description="Customer", ordering="user__email")
    def customer(self, wallet):
        return customer_link(wallet.user)


def customer_link(user):
    from django.urls import reverse

    return format_html('<a href="{}">{}</a>', reverse("admin:customer", args=[user.pk]), user.email)


@admin.register(Transaction)
class TransactionAdmin(ExactReferenceSearch, ReadOnlyAdmin):
    list_display = [
        "reference", "wallet", "transaction_type", "direction", "status", naira("amount"),
        naira("fee"), "channel", "created_at",
    ]  # fmt: skip
    list_filter = [
        CreatedWithin, NeedsAttention, "transaction_type", "status", "channel", "direction",
    ]  # fmt: skip
    # An exact reference only: a prefix or substring match would read the whole table
    # (migration 0007 dropped the LIKE index on purpose).
    list_select_related = ["wallet__user"]
    # -id: the primary key index orders the newest first without sorting the table.
    ordering = ["-id"]
    # Year, month, day: ranges on created_at (the BRIN index); see templatetags/backoffice.py.
    date_hierarchy = "created_at"
    inlines = [LedgerEntryInline]
    actions = [confirm("reverse_transfer"), confirm("refund_deposit"), confirm("reverify_charge")]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "journal", "wallet", "system_account", naira("amount"), "created_at"]
    list_filter = ["system_account", "currency"]
    search_fields = ["=journal__reference"]
    list_select_related = ["journal", "wallet__user"]
    ordering = ["-id"]


@admin.register(FeeRule)
class FeeRuleAdmin(SimpleHistoryAdmin, BackOfficeAdmin):
    """Edited only through the "Edit fee rule" action (values before and after, a reason)."""

    list_display = [
        "transaction_type", naira("min_amount"), naira("max_amount"), naira("flat"),
        "percentage", naira("minimum"), naira("cap"), "bearer", "is_active",
    ]  # fmt: skip
    list_filter = ["transaction_type", "is_active", "bearer"]
    search_fields = ["transaction_type"]
    actions = [confirm("edit_fee_rule")]


@admin.register(LedgerCheck)
class LedgerCheckAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "ok"]
    list_filter = ["ok"]
    search_fields = ["report"]
    readonly_fields = ["ran_at", "ok", "report"]
