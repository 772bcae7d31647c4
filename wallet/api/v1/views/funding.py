"""Money in: card top-up (start a checkout, verify it), saved cards (list, charge, make
default, remove) and the wallet's dedicated bank account number."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from wallet.api.decorators import reference_for_key
from wallet.api.v1 import serializers as out
from wallet.api.v1.idempotency import idempotent
from wallet.api.v1.inputs import AmountInput, DepositInput, ReferenceInput
from wallet.api.v1.views.base import MoneyView, WalletView, valid
from wallet.exceptions import ChargeNotCredited
from wallet.models import DedicatedAccount, TransactionStatus
from wallet.services.funding.charges import find_charge
from wallet.services.wallet_service import WalletService


class DepositView(MoneyView):
    @extend_schema(
        operation_id="me_deposit_create",
        request=DepositInput,
        responses={201: out.CheckoutSerializer},
    )
    @idempotent
    def post(self, request):
        data = valid(DepositInput, request.data)
        wallet = self.wallet()
        checkout = WalletService().initialize_card_charge(
            wallet=wallet,
            amount=data["amount"],
            email=request.user.email,
            callback_url=data.get("callback_url") or None,
            reference=reference_for_key(request),
        )
        answer = {
            "status": "pending",
            "reference": checkout["reference"],
            "authorization_url": checkout["authorization_url"],
            "access_code": checkout.get("access_code", ""),
            "amount": data["amount"],
            "currency": wallet.currency,
        }
        return Response(out.CheckoutSerializer(answer).data, status=201)


class DepositVerifyView(MoneyView):
    @extend_schema(
        operation_id="me_deposit_verify",
        request=ReferenceInput,
        responses={200: out.DepositStatusSerializer},
    )
    @idempotent
    def post(self, request):
        """Ask Paystack how a card deposit ended and credit it (once, whoever asks first)."""
        reference = valid(ReferenceInput, request.data)["reference"]
        wallet = self.wallet()
        try:
            find_charge(reference, wallet)
        except ChargeNotCredited:
            raise NotFound("No card deposit with that reference in your wallet.")
        message = ""
        try:
            tx = WalletService().settle_card_charge(reference, wallet=wallet)
        except ChargeNotCredited as refusal:
            tx, message = find_charge(reference, wallet), refusal.message
        answer = {
            "reference": tx.reference,
            "credited": tx.status == TransactionStatus.SUCCESS,
            "message": message,
            "transaction": tx,
        }
        return Response(out.DepositStatusSerializer(answer).data)


def _my_card(view, pk):
    return get_object_or_404(view.wallet().cards.filter(is_active=True), pk=pk)


class CardListView(WalletView):
    @extend_schema(operation_id="me_cards", responses=out.CardSerializer(many=True))
    def get(self, request):
        cards = self.wallet().cards.filter(is_active=True).order_by("-is_default", "-created_at")
        return Response(out.CardSerializer(cards, many=True).data)


class CardView(WalletView):
    @extend_schema(operation_id="me_card", responses=out.CardSerializer)
    def get(self, request, pk):
        return Response(out.CardSerializer(_my_card(self, pk)).data)

    @extend_schema(operation_id="me_card_remove", responses={204: None})
    def delete(self, request, pk):
        WalletService().deactivate_card(_my_card(self, pk))
        return Response(status=204)


class CardDefaultView(WalletView):
    @extend_schema(operation_id="me_card_make_default", request=None, responses=out.CardSerializer)
    def post(self, request, pk):
        card = WalletService().set_default_card(_my_card(self, pk))
        return Response(out.CardSerializer(card).data)


class CardChargeView(MoneyView):
    @extend_schema(
        operation_id="me_card_charge",
        request=AmountInput,
        responses={201: out.CardChargeSerializer},
    )
    @idempotent
    def post(self, request, pk):
        """Charge a saved card into the wallet; `paused`: finish at `authorization_url`."""
        card = _my_card(self, pk)
        amount = valid(AmountInput, request.data)["amount"]
        result = WalletService().charge_saved_card(
            card=card, amount=amount, reference=reference_for_key(request)
        )
        return Response(out.CardChargeSerializer(result).data, status=201)


class DedicatedAccountView(MoneyView):
    @extend_schema(operation_id="me_dedicated_account", responses=out.DedicatedAccountSerializer)
    def get(self, request):
        account = get_object_or_404(DedicatedAccount, wallet=self.wallet())
        return Response(out.DedicatedAccountSerializer(account).data)

    @extend_schema(
        operation_id="me_dedicated_account_create",
        request=None,
        responses={201: out.DedicatedAccountSerializer},
    )
    @idempotent
    def post(self, request):
        """The wallet's own account number for bank transfers (made at Paystack once)."""
        account = WalletService().request_dedicated_account(self.wallet())
        return Response(out.DedicatedAccountSerializer(account).data, status=201)
