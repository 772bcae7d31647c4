"""Back office for payouts: banks, bank accounts, payouts (verify now / retry), settlements and
schedules. Actions call services; nothing here moves money by itself."""

from django.contrib import admin, messages

from wallet.exceptions import WalletError
from wallet.models import Bank, BankAccount, Payout, Settlement, SettlementRun, SettlementSchedule
from wallet.services import payouts
from wallet.services.settlement_service import SettlementService
from wallet.services.wallet_service import WalletService


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "currency", "country", "active", "synced_at"]
    list_filter = ["active", "currency"]
    search_fields = ["name", "code", "slug"]


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = [
        "account_name",
        "bank",
        "masked_number",
        "wallet",
        "is_active",
        "is_default",
        "created_at",
    ]
    list_filter = ["is_active", "bank"]
    search_fields = ["account_name", "account_number", "recipient_code", "wallet__user__email"]
    list_select_related = ["bank", "wallet__user"]
    readonly_fields = [
        "wallet",
        "bank",
        "account_number",
        "account_name",
        "recipient_code",
        "currency",
        "created_at",
    ]
    actions = ["deactivate"]

    @admin.action(description="Deactivate the selected bank accounts")
    def deactivate(self, request, queryset):
        for account in queryset:
            payouts.deactivate_bank_account(account)
        self.message_user(request, f"{queryset.count()} bank account(s) deactivated.")


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "status",
        "amount",
        "bank_account",
        "transfer_code",
        "attempts",
        "last_error",
        "updated_at",
    ]
    list_filter = ["transaction__status", "transaction__transaction_type"]
    search_fields = ["reference", "transfer_code", "bank_account__account_name"]
    list_select_related = ["transaction", "bank_account__bank"]
    readonly_fields = [f.name for f in Payout._meta.fields]
    actions = ["verify_now", "retry"]

    @admin.display(description="Amount")
    def amount(self, payout):
        return payout.transaction.amount

    @admin.action(description="Verify now with Paystack")
    def verify_now(self, request, queryset):
        service = WalletService()
        for payout in queryset:
            tx, _ = service.reconcile_payout(payout)
            self.message_user(request, f"{payout.reference}: {tx.status}")

    @admin.action(description="Retry (pending: same reference; failed settlement: pay again)")
    def retry(self, request, queryset):
        for payout in queryset.select_related("transaction"):
            try:
                self._retry_one(request, payout)
            except WalletError as error:
                self.message_user(request, f"{payout.reference}: {error}", messages.ERROR)

    def _retry_one(self, request, payout):
        status = payout.transaction.status
        if status in payouts.OPEN_STATES:
            tx, _ = WalletService().reconcile_payout(payout)
            self.message_user(request, f"{payout.reference}: {tx.status}")
            return
        settlement = Settlement.objects.filter(transaction_id=payout.transaction_id).first()
        if settlement is None:
            self.message_user(
                request,
                f"{payout.reference}: a final withdrawal is not retried; the user withdraws again.",
                messages.WARNING,
            )
            return
        retry = SettlementService().retry_settlement(settlement)
        self.message_user(
            request, f"{payout.reference}: retried as {retry.reference} ({retry.status})"
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "wallet",
        "amount",
        "status",
        "bank_account",
        "schedule",
        "created_at",
    ]
    list_filter = ["transaction__status"]
    search_fields = ["transaction__reference", "wallet__user__email"]
    list_select_related = [
        "transaction",
        "wallet__user",
        "bank_account__bank",
        "schedule__bank_account__bank",
    ]
    readonly_fields = [
        "wallet",
        "bank_account",
        "transaction",
        "schedule",
        "retry_of",
        "amount",
        "reason",
        "created_at",
    ]
    actions = ["verify", "retry"]

    @admin.action(description="Verify with Paystack")
    def verify(self, request, queryset):
        service = SettlementService()
        for settlement in queryset:
            self.message_user(
                request, f"{settlement.reference}: {service.verify_settlement(settlement).status}"
            )

    @admin.action(description="Retry failed settlements")
    def retry(self, request, queryset):
        service = SettlementService()
        for settlement in queryset:
            try:
                retry = service.retry_settlement(settlement)
                self.message_user(request, f"{settlement.reference}: retried as {retry.reference}")
            except WalletError as error:
                self.message_user(request, f"{settlement.reference}: {error}", messages.ERROR)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SettlementRunInline(admin.TabularInline):
    model = SettlementRun
    extra = 0
    fields = ["period", "outcome", "reason", "settlement"]
    readonly_fields = fields
    ordering = ["-period"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SettlementSchedule)
class SettlementScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "wallet",
        "schedule_type",
        "bank_account",
        "is_active",
        "next_settlement",
        "last_run_at",
    ]
    list_filter = ["schedule_type", "is_active"]
    search_fields = ["wallet__user__email"]
    list_select_related = ["wallet__user", "bank_account__bank"]
    readonly_fields = ["next_settlement", "last_run_at", "created_at"]
    inlines = [SettlementRunInline]
    actions = ["pause", "resume"]

    @admin.action(description="Pause")
    def pause(self, request, queryset):
        for schedule in queryset:
            SettlementService().pause_settlement_schedule(schedule)

    @admin.action(description="Resume")
    def resume(self, request, queryset):
        for schedule in queryset:
            try:
                SettlementService().resume_settlement_schedule(schedule)
            except WalletError as error:
                self.message_user(request, f"{schedule}: {error}", messages.ERROR)


@admin.register(SettlementRun)
class SettlementRunAdmin(admin.ModelAdmin):
    list_display = ["schedule", "period", "outcome", "reason", "settlement"]
    list_filter = ["outcome"]
    list_select_related = ["schedule__bank_account__bank", "settlement__transaction"]
    readonly_fields = ["schedule", "period", "outcome", "reason", "settlement", "created_at"]
