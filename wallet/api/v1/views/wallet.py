"""The wallet itself: detail, balance and held amount, limits, history, one transaction and
its receipt. Reads only."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from wallet import selectors
from wallet.api.v1 import serializers as out
from wallet.api.v1.inputs import TransactionQuery
from wallet.api.v1.views.base import WalletView, valid
from wallet.models import Direction
from wallet.selectors import masked_name


class MeView(WalletView):
    @extend_schema(operation_id="me_wallet", responses=out.WalletSerializer)
    def get(self, request):
        wallet = self.wallet()
        held = selectors.held_amount(wallet=wallet)
        data = {**_wallet_fields(wallet), "held": held}
        return Response(out.WalletSerializer(data).data)


def _wallet_fields(wallet) -> dict:
    return {
        "id": wallet.pk,
        "currency": wallet.currency,
        "balance": wallet.balance,
        "is_locked": wallet.is_locked,
        "created_at": wallet.created_at,
    }


class BalanceView(WalletView):
    @extend_schema(operation_id="me_balance", responses=out.BalanceSerializer)
    def get(self, request):
        wallet = self.wallet()
        data = {
            "currency": wallet.currency,
            "balance": wallet.balance,
            "held": selectors.held_amount(wallet=wallet),
        }
        return Response(out.BalanceSerializer(data).data)


class LimitsView(WalletView):
    @extend_schema(operation_id="me_limits", responses=out.LimitsSerializer)
    def get(self, request):
        wallet = self.wallet()
        status = selectors.tier_status(wallet=wallet)
        tier = status.tier
        allows = [
            name
            for name in ("transfer", "withdrawal", "settlement")
            if tier is None or getattr(tier, f"allows_{name}")
        ]
        data = {
            "currency": wallet.currency,
            "tier": wallet.tier,
            "tier_name": tier.name if tier else "",
            "min_amount": settings.WALLET_MIN_AMOUNT,
            "max_amount": settings.WALLET_MAX_AMOUNT,
            "daily_outflow_limit": tier.daily_limit if tier else None,
            "single_payment_limit": tier.single_limit if tier else None,
            "balance_cap": tier.balance_cap if tier else None,
            "sent_today": status.spent_today,
            "remaining_today": status.left_today,
            "allows": allows,
            "over_tier": status.over_tier,
            "safety_mode_until": status.safety_until,
            "safety_mode_remaining": status.safety_left,
            "safety_mode_reason": status.safety_reason,
            "new_bank_accounts_held_until": status.new_accounts_held_until,
            "outflows_frozen": status.frozen_since is not None,
            "next_tier": status.next_tier,
        }
        return Response(out.LimitsSerializer(data).data)


class TransactionListView(WalletView):
    @extend_schema(
        operation_id="me_transactions",
        parameters=[TransactionQuery],
        responses=out.TransactionPageSerializer,
    )
    def get(self, request):
        query = valid(TransactionQuery, request.query_params)
        filters = selectors.HistoryFilters(
            transaction_type=query.get("type", ""),
            status=query.get("status", ""),
            start=query.get("start"),
            end=query.get("end"),
            search=query.get("search", ""),
        )
        page = selectors.history_page(
            wallet=self.wallet(),
            filters=filters,
            after=query.get("cursor", ""),
            before=query.get("before", ""),
            size=query["size"],
        )
        data = {
            "results": page.transactions,
            "next_cursor": page.older_cursor,
            "previous_cursor": page.newer_cursor,
        }
        return Response(out.TransactionPageSerializer(data).data)


class TransactionDetailView(WalletView):
    @extend_schema(operation_id="me_transaction", responses=out.TransactionSerializer)
    def get(self, request, pk):
        transaction = selectors.transaction_for_wallet(wallet=self.wallet(), pk=pk)
        return Response(out.TransactionSerializer(transaction).data)


class ReceiptView(WalletView):
    @extend_schema(operation_id="me_transaction_receipt", responses=out.ReceiptSerializer)
    def get(self, request, pk):
        tx = selectors.transaction_for_wallet(wallet=self.wallet(), pk=pk)
        other = tx.counterparty_wallet
        debit = tx.direction == Direction.DEBIT
        data = {
            "reference": tx.reference,
            "transaction_type": tx.transaction_type,
            "direction": tx.direction,
            "status": tx.status,
            "amount": tx.amount,
            "fee": tx.fee,
            "total": tx.total_debited if debit else tx.amount,
            "currency": tx.currency,
            "counterparty": masked_name(other.user) if other else "",
            "description": tx.description,
            "created_at": tx.created_at,
            "completed_at": tx.completed_at,
        }
        return Response(out.ReceiptSerializer(data).data)
