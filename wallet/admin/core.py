"""Back office for wallets, transactions, the ledger, fee rules and ledger checks."""

from django.contrib import admin, messages

from wallet.admin.base import ReadOnlyAdmin
from wallet.exceptions import WalletError
from wallet.models import FeeRule, LedgerCheck, LedgerEntry, Transaction, Wallet
from wallet.services.transaction_service import TransactionService


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fk_name = "journal"
    fields = ["wallet", "system_account", "amount", "currency", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "currency", "balance", "is_locked", "created_at"]
    list_filter = ["currency", "is_locked"]
    search_fields = ["user__email", "id"]
    list_select_related = ["user"]
    actions = ["lock_wallets", "unlock_wallets"]

    @admin.action(description="Lock selected wallets (no money in or out)")
    def lock_wallets(self, request, queryset):
        for wallet in queryset:
            wallet.lock()
        self.message_user(request, f"Locked {queryset.count()} wallet(s).")

    @admin.action(description="Unlock selected wallets")
    def unlock_wallets(self, request, queryset):
        for wallet in queryset:
            wallet.unlock()
        self.message_user(request, f"Unlocked {queryset.count()} wallet(s).")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "wallet",
        "transaction_type",
        "direction",
        "status",
        "amount",
        "fee",
        "currency",
        "channel",
        "created_at",
    ]
    list_filter = ["transaction_type", "status", "channel", "direction"]
    search_fields = ["reference", "description", "wallet__user__email"]
    list_select_related = ["wallet__user"]
    date_hierarchy = "created_at"
    inlines = [LedgerEntryInline]
    actions = ["reverse_transactions"]

    @admin.action(description="Reverse selected internal transactions")
    def reverse_transactions(self, request, queryset):
        service = TransactionService()
        for record in queryset:
            try:
                service.reverse_transaction(record, reason=f"Reversed by {request.user}")
            except WalletError as error:
                self.message_user(request, f"{record.reference}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{record.reference}: reversed.")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "journal", "wallet", "system_account", "amount", "currency", "created_at"]
    list_filter = ["system_account", "currency"]
    search_fields = ["journal__reference"]
    list_select_related = ["journal", "wallet"]


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    list_display = [
        "transaction_type",
        "min_amount",
        "max_amount",
        "flat",
        "percentage",
        "minimum",
        "cap",
        "bearer",
        "is_active",
    ]
    list_filter = ["transaction_type", "is_active"]
    list_editable = ["is_active"]


@admin.register(LedgerCheck)
class LedgerCheckAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "ok"]
    readonly_fields = ["ran_at", "ok", "report"]

    def has_change_permission(self, request, obj=None):
        return False
