"""Send to any bank account (issue 24) and the saved accounts (beneficiaries). Ids are looked up
inside the caller's own wallet: another customer's beneficiary or send is a 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from wallet.api.decorators import reference_for_key
from wallet.api.v1.fields import AmountField, PinField
from wallet.api.v1.idempotency import idempotent
from wallet.api.v1.inputs import id_field
from wallet.api.v1.serializers import TransactionSerializer
from wallet.api.v1.views.base import MoneyView, WalletView, confirm_pin, valid
from wallet.models import Beneficiary, TransactionType
from wallet.services.payouts.bank_send import (
    listed_beneficiaries,
    remove_beneficiary,
    rename_beneficiary,
)
from wallet.services.wallet_service import WalletService


class BankSendInput(serializers.Serializer):
    beneficiary_id = id_field(required=False, help_text="A saved account; or the two below.")
    bank_code = serializers.CharField(max_length=20, required=False)
    account_number = serializers.RegexField(
        r"^[0-9]{10}\Z",
        required=False,
        error_messages={"invalid": "An account number is 10 digits."},
    )
    amount = AmountField()
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True)
    pin = PinField()

    def validate(self, attrs):
        if "beneficiary_id" in attrs:
            return attrs
        if not attrs.get("bank_code") or not attrs.get("account_number"):
            raise serializers.ValidationError(
                "Give beneficiary_id, or bank_code and a 10-digit account_number."
            )
        return attrs


class NicknameInput(serializers.Serializer):
    nickname = serializers.CharField(max_length=60, allow_blank=True)


class BeneficiarySerializer(serializers.ModelSerializer):
    bank_code = serializers.CharField(source="bank.code")
    bank_name = serializers.CharField(source="bank.name")
    account_number = serializers.CharField(source="masked_number")

    class Meta:
        model = Beneficiary
        fields = ["id", "nickname", "account_name", "bank_code", "bank_name", "account_number"]
        read_only_fields = fields


class BankSendSerializer(TransactionSerializer):
    beneficiary_id = serializers.IntegerField(source="payout.beneficiary_id", default=None)
    transfer_code = serializers.CharField(source="payout.transfer_code", default="")

    class Meta(TransactionSerializer.Meta):
        fields = [*TransactionSerializer.Meta.fields, "beneficiary_id", "transfer_code"]
        read_only_fields = fields


def my_beneficiary(view, pk) -> Beneficiary:
    return get_object_or_404(listed_beneficiaries(view.wallet()), pk=pk)


class BankSendListView(MoneyView):
    @extend_schema(
        operation_id="me_bank_send_create",
        request=BankSendInput,
        responses={201: BankSendSerializer},
    )
    @idempotent
    def post(self, request):
        """Debit amount + fee now and send it to any bank account (a saved one, or a bank code
        and account number resolved with the bank)."""
        data = valid(BankSendInput, request.data)
        confirm_pin(request, data)
        beneficiary = None
        if "beneficiary_id" in data:
            beneficiary = my_beneficiary(self, data["beneficiary_id"])
        transaction, _ = WalletService().send_to_bank(
            wallet=self.wallet(),
            amount=data["amount"],
            beneficiary=beneficiary,
            bank_code=data.get("bank_code", ""),
            account_number=data.get("account_number", ""),
            reason=data.get("reason", ""),
            reference=reference_for_key(request),
        )
        transaction.refresh_from_db()
        return Response(BankSendSerializer(transaction).data, status=201)


class BankSendView(WalletView):
    @extend_schema(operation_id="me_bank_send", responses=BankSendSerializer)
    def get(self, request, pk):
        sends = self.wallet().transactions.filter(transaction_type=TransactionType.BANK_SEND)
        transaction = get_object_or_404(sends.select_related("payout"), pk=pk)
        return Response(BankSendSerializer(transaction).data)


class BeneficiaryListView(WalletView):
    @extend_schema(operation_id="me_beneficiaries", responses=BeneficiarySerializer(many=True))
    def get(self, request):
        beneficiaries = listed_beneficiaries(self.wallet())
        return Response(BeneficiarySerializer(beneficiaries, many=True).data)


class BeneficiaryView(WalletView):
    @extend_schema(operation_id="me_beneficiary", responses=BeneficiarySerializer)
    def get(self, request, pk):
        return Response(BeneficiarySerializer(my_beneficiary(self, pk)).data)

    @extend_schema(
        operation_id="me_beneficiary_rename", request=NicknameInput, responses=BeneficiarySerializer
    )
    def patch(self, request, pk):
        beneficiary = my_beneficiary(self, pk)
        nickname = valid(NicknameInput, request.data)["nickname"]
        return Response(
            BeneficiarySerializer(rename_beneficiary(beneficiary, nickname=nickname)).data
        )

    @extend_schema(operation_id="me_beneficiary_remove", responses={204: None})
    def delete(self, request, pk):
        remove_beneficiary(my_beneficiary(self, pk))
        return Response(status=204)
