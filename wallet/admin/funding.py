"""Back office for money coming in: webhook events (reprocess), cards, refunds (refund a
deposit), dedicated accounts and charge anomalies. Actions are confirmed staff actions."""

from decimal import Decimal

from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils.html import format_html

from wallet.admin.base import ExactReferenceSearch, ReadOnlyAdmin, confirm, customer_link, naira
from wallet.admin.core import CreatedWithin
from wallet.admin.operations import bulk
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
from wallet.templatetags.wallet_web import money


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = [
        "received_at", "event", "reference", "customer_email", "status_shown", "deliveries",
        "attempts",
    ]  # fmt: skip
    list_filter = ["status", "event"]
    search_fields = ["reference", "customer__email"]
    search_help_text = "A reference or part of it (any case), or the customer's e-mail."
    list_select_related = ["customer"]
    list_defer = ["customer__phone"]  # parsed (phonenumbers) as it is read; not shown
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    ordering = ["-id"]
    actions = [
        confirm("reprocess_webhook"), confirm("acknowledge_webhook"), bulk("reprocess_webhook"),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw_body", "payload")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if "@" in term:
            return queryset.filter(customer__email__iexact=term), False
        if len(term) < 3:
            return queryset.filter(reference=term), False
        return queryset.filter(reference__icontains=term), False

    def page_links(self, event):
        if event.customer_id is None:
            return []
        return [("Customer page", reverse("admin:customer", args=[event.customer_id]))]

    @admin.display(description="Customer", ordering="customer__email")
    def customer_email(self, event):
        return customer_link(event.customer) if event.customer else "—"

    @admin.display(description="Status", ordering="status")
    def status_shown(self, event):
        if event.status in (WebhookEvent.Status.FAILED, WebhookEvent.Status.REFUSED):
            return format_html('<span class="bo-bad">{}</span>', event.get_status_display())
        return event.get_status_display()


@admin.register(WebhookRefusal)
class WebhookRefusalAdmin(ReadOnlyAdmin):
    """Refused webhook requests, one row per source (bounded; see the model)."""

    list_display = ["last_seen", "source", "count", "reason", "body_length"]
    list_filter = ["last_seen"]
    search_fields = ["source", "reason"]
    readonly_fields = [f.name for f in WebhookRefusal._meta.fields]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "wallet", "bank", "expiry", "is_active", "is_default", "created_at"]
    list_filter = ["is_active", "brand"]
    search_fields = ["wallet__user__email", "last4"]
    list_select_related = ["wallet__user"]
    exclude = ["authorization_code"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at", "charge", naira("amount"), "status", "paystack_status",
    ]  # fmt: skip
    list_filter = ["status", "paystack_status"]
    search_fields = ["=charge__reference", "=transaction__reference", "=paystack_refund_id"]
    list_select_related = ["charge__wallet__user"]
    readonly_fields = [f.name for f in Refund._meta.fields]

    def page_links(self, refund):
        return [
            ("Customer page", reverse("admin:customer", args=[refund.charge.wallet.user_id])),
            ("Timeline", reverse("admin:timeline", args=[refund.transaction_id])),
        ]


# What is refunded or being refunded on a charge (failed refunds do not count), per row.
refunded_per_charge = (
    Refund.objects.filter(charge=OuterRef("pk"))
    .exclude(status=Refund.Status.FAILED)
    .values("charge")
    .annotate(total=Sum("amount"))
    .values("total")
)


@admin.register(RefundableDeposit)
class RefundableDepositAdmin(ExactReferenceSearch, ReadOnlyAdmin):
    """Only successful card and bank-transfer deposits: the ones a refund can be made of."""

    list_display = [
        "reference", "wallet", naira("amount"), "channel", "status", "refunded",
    ]  # fmt: skip
    list_filter = [CreatedWithin, "channel"]
    list_select_related = ["wallet__user"]
    ordering = ["-id"]
    actions = [confirm("refund_deposit")]

    def get_queryset(self, request):
        # The refunded amount comes with each row (a correlated sum), not one query per row.
        return (
            super()
            .get_queryset(request)
            .filter(
                transaction_type=TransactionType.DEPOSIT,
                channel__in=[Channel.CARD, Channel.DEDICATED_NUBAN],
                status=TransactionStatus.SUCCESS,
            )
            .annotate(refunded_total=Subquery(refunded_per_charge))
        )

    @admin.display(description="Refunded")
    def refunded(self, obj):
        return money(obj.refunded_total or Decimal("0.00"), obj.currency)


@admin.register(DedicatedAccount)
class DedicatedAccountAdmin(ReadOnlyAdmin):
    list_display = ["account_number", "bank_name", "account_name", "wallet", "is_active"]
    list_filter = ["is_active", "bank_name"]
    search_fields = ["=account_number", "wallet__user__email", "=customer_code"]
    list_select_related = ["wallet__user"]


@admin.register(ChargeAnomaly)
class ChargeAnomalyAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "reference", "wallet", "detail"]
    list_filter = ["kind"]
    search_fields = ["=reference"]
    list_select_related = ["wallet__user"]
