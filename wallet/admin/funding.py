"""Back office for money coming in: webhook events (reprocess), cards, refunds (refund a
deposit), dedicated accounts and charge anomalies. Actions call services, never edit money."""

from decimal import Decimal

from django.contrib import admin, messages

from wallet.admin.base import ReadOnlyAdmin
from wallet.exceptions import PaystackAPIError, WalletError
from wallet.models import (
    Card,
    Channel,
    ChargeAnomaly,
    DedicatedAccount,
    Refund,
    RefundableDeposit,
    TransactionStatus,
    TransactionType,
    WebhookEvent,
    WebhookRefusal,
)
from wallet.services.funding import webhooks
from wallet.services.funding.refunds import refunded_amount
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event", "status", "attempts", "deliveries", "remote_addr"]
    list_filter = ["status", "event"]
    search_fields = ["event_key", "raw_body"]
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    actions = ["reprocess"]

    @admin.action(description="Process the selected failed / refused events again")
    def reprocess(self, request, queryset):
        for event in queryset.filter(
            status__in=[WebhookEvent.Status.FAILED, WebhookEvent.Status.REFUSED]
        ):
            done = webhooks.reprocess(event)
            status = done.status if done else event.status
            level = (
                messages.SUCCESS if status == WebhookEvent.Status.PROCESSED else messages.WARNING
            )
            self.message_user(request, f"{event}: {status}", level)


@admin.register(WebhookRefusal)
class WebhookRefusalAdmin(ReadOnlyAdmin):
    """Refused webhook requests, one row per source (bounded; see the model)."""

    list_display = ["last_seen", "source", "count", "reason", "body_length"]
    search_fields = ["source", "reason"]
    readonly_fields = [f.name for f in WebhookRefusal._meta.fields]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "wallet", "bank", "expiry", "is_active", "is_default", "created_at"]
    list_filter = ["is_active", "brand"]
    search_fields = ["wallet__user__email", "last4"]
    list_select_related = ["wallet__user"]
    exclude = ["authorization_code"]
    actions = ["deactivate"]

    @admin.action(description="Remove the selected cards (never charged again)")
    def deactivate(self, request, queryset):
        for card in queryset:
            WalletService().deactivate_card(card)
        self.message_user(request, f"Removed {queryset.count()} card(s).")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "charge", "amount", "currency", "status", "paystack_status"]
    list_filter = ["status", "paystack_status"]
    search_fields = ["charge__reference", "transaction__reference", "paystack_refund_id"]
    list_select_related = ["charge"]
    readonly_fields = [f.name for f in Refund._meta.fields]


@admin.register(RefundableDeposit)
class RefundableDepositAdmin(ReadOnlyAdmin):
    list_display = ["reference", "wallet", "amount", "currency", "channel", "status", "refunded"]
    list_filter = ["channel", "status"]
    search_fields = ["reference", "wallet__user__email"]
    list_select_related = ["wallet__user"]
    actions = ["refund_in_full"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(
                transaction_type=TransactionType.DEPOSIT,
                channel__in=[Channel.CARD, Channel.DEDICATED_NUBAN],
            )
        )

    @admin.display(description="Refunded")
    def refunded(self, obj):
        return refunded_amount(obj) if obj.status == TransactionStatus.SUCCESS else Decimal("0")

    @admin.action(description="Refund what is left of the selected deposits (Paystack refund)")
    def refund_in_full(self, request, queryset):
        service = TransactionService()
        for deposit in queryset:
            try:
                refund_tx = service.refund_transaction(
                    transaction=deposit, reason=f"Refunded by {request.user.email}"
                )
            except (WalletError, PaystackAPIError) as error:
                self.message_user(request, f"{deposit.reference}: {error.message}", messages.ERROR)
                continue
            self.message_user(
                request, f"{deposit.reference}: refund of {refund_tx.amount} is {refund_tx.status}."
            )


@admin.register(DedicatedAccount)
class DedicatedAccountAdmin(ReadOnlyAdmin):
    list_display = ["account_number", "bank_name", "account_name", "wallet", "is_active"]
    search_fields = ["account_number", "wallet__user__email", "customer_code"]


@admin.register(ChargeAnomaly)
class ChargeAnomalyAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "reference", "wallet", "detail"]
    list_filter = ["kind"]
    search_fields = ["reference"]
