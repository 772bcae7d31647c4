"""Money requests on v1 (issue 24): ask (by @handle, phone or e-mail), list both sides, pay with
the PIN (Idempotency-Key honoured; paid at most once), decline, cancel. A request is looked up
among the caller's own: anyone else's is a 404."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from wallet import selectors
from wallet.api.responses import ApiError
from wallet.api.v1.fields import AmountField, PinField
from wallet.api.v1.idempotency import idempotent
from wallet.api.v1.views.base import MoneyView, WalletView, confirm_pin, valid
from wallet.models import MoneyRequest
from wallet.services.requests.operations import (
    cancel_request,
    create_request,
    decline_request,
    is_expired,
    pay_request,
)
from wallet.services.wallet_service import WalletService


class RequestInput(serializers.Serializer):
    payer = serializers.CharField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="@handle, phone or e-mail; empty for a request paid only by its link.",
    )
    amount = AmountField()
    note = serializers.CharField(max_length=140, required=False, allow_blank=True)


class PinInput(serializers.Serializer):
    pin = PinField()


class MoneyRequestSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    requester = serializers.SerializerMethodField()
    payer = serializers.SerializerMethodField()

    class Meta:
        model = MoneyRequest
        fields = [
            "id",
            "amount",
            "note",
            "status",
            "requester",
            "payer",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_status(self, obj) -> str:
        return "expired" if is_expired(obj) else obj.status

    def get_requester(self, obj) -> str:
        return selectors.masked_name(obj.requester.user)

    def get_payer(self, obj) -> str | None:
        return selectors.masked_name(obj.payer.user) if obj.payer else None


def mine(view):
    wallet = view.wallet()
    return MoneyRequest.objects.filter(Q(requester=wallet) | Q(payer=wallet)).select_related(
        "requester__user", "payer__user"
    )


class RequestListView(MoneyView):
    @extend_schema(operation_id="me_requests", responses=MoneyRequestSerializer(many=True))
    def get(self, request):
        return Response(MoneyRequestSerializer(mine(self)[:100], many=True).data)

    @extend_schema(
        operation_id="me_request_create",
        request=RequestInput,
        responses={201: MoneyRequestSerializer},
    )
    @idempotent
    def post(self, request):
        data = valid(RequestInput, request.data)
        wallet, payer = self.wallet(), None
        if (data.get("payer") or "").strip():
            payer = selectors.find_recipient(data["payer"].strip(), currency=wallet.currency)
            if payer is None:
                raise ApiError(404, "recipient_not_found", "No wallet found for that recipient.")
        made = create_request(
            requester=wallet, payer=payer, amount=data["amount"], note=data.get("note", "")
        )
        return Response(MoneyRequestSerializer(made).data, status=201)


class RequestPayView(MoneyView):
    @extend_schema(
        operation_id="me_request_pay", request=PinInput, responses=MoneyRequestSerializer
    )
    @idempotent
    def post(self, request, pk):
        target = get_object_or_404(mine(self), pk=pk)
        confirm_pin(request, valid(PinInput, request.data))
        pay_request(WalletService().transfer, request_id=target.pk, payer=self.wallet())
        target.refresh_from_db()
        return Response(MoneyRequestSerializer(target).data)


class RequestDeclineView(WalletView):
    @extend_schema(
        operation_id="me_request_decline", request=None, responses=MoneyRequestSerializer
    )
    def post(self, request, pk):
        target = get_object_or_404(mine(self), pk=pk)
        return Response(
            MoneyRequestSerializer(decline_request(request_id=target.pk, payer=self.wallet())).data
        )


class RequestCancelView(WalletView):
    @extend_schema(operation_id="me_request_cancel", request=None, responses=MoneyRequestSerializer)
    def post(self, request, pk):
        target = get_object_or_404(mine(self), pk=pk)
        made = cancel_request(request_id=target.pk, requester=self.wallet())
        return Response(MoneyRequestSerializer(made).data)
