"""Back office for wallets, transactions, the ledger, fee rules and ledger checks."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from wallet.admin.base import (
    BackOfficeAdmin,
    ExactReferenceSearch,
    ReadOnlyAdmin,
    aged,
    confirm,
    customer_link,
    naira,
    timeline_link,
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

    def page_links(self, wallet):
        return [("Customer page", reverse("admin:customer", args=[wallet.user_id]))]


@admin.register(Transaction)
class TransactionAdmin(ExactReferenceSearch, ReadOnlyAdmin):
    list_display = [
        "reference", "customer", "transaction_type", "status", naira("amount"), "age",
        "channel", "created_at", "timeline",
    ]  # fmt: skip
    list_filter = [
        CreatedWithin, NeedsAttention, "transaction_type", "status", "channel", "direction",
    ]  # fmt: skip
    # An exact reference only: a prefix or substring match would read the whole table
    # (migration 0007 dropped the LIKE index on purpose).
    list_select_related = ["wallet__user"]
    # No column shows them: the customer's phone is parsed (phonenumbers) as it is read, and
    # the metadata is JSON.
    list_defer = ["metadata", "wallet__user__phone"]
    # -id: the primary key index orders the newest first without sorting the table.
    ordering = ["-id"]
    # Year, month, day: ranges on created_at (the BRIN index); see templatetags/backoffice.py.
    date_hierarchy = "created_at"
    inlines = [LedgerEntryInline]
    actions = [confirm("reverse_transfer"), confirm("refund_deposit"), confirm("reverify_charge")]

    def page_links(self, tx):
        return [("Customer page", reverse("admin:customer", args=[tx.wallet.user_id])),
                ("Timeline", reverse("admin:timeline", args=[tx.pk]))]  # fmt: skip

    def lookup_allowed(self, lookup, value, request=None):
        # The customer page links to "all transactions of this wallet".
        return lookup == "wallet__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="Customer", ordering="wallet__user__email")
    def customer(self, tx):
        return customer_link(tx.wallet.user)

    @admin.display(description="Pending for")
    def age(self, tx):
        if tx.status not in ("pending", "processing", "otp"):
            return "—"
        if tx.transaction_type == TransactionType.DEPOSIT:
            return aged(tx.created_at, settings.BACKOFFICE_ALERT_CHARGE_MINUTES)
        return aged(tx.created_at, settings.BACKOFFICE_STUCK_PAYOUT_MINUTES)

    @admin.display(description="Timeline")
    def timeline(self, tx):
        return timeline_link(tx.pk)


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
