"""Money out to banks: the bank list, account name resolution, the wallet's bank accounts
(list, add, make default, remove) and withdrawals (create, detail)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.reauthentication import require_reauthentication_for_api
from wallet.api.decorators import reference_for_key
from wallet.api.v1 import serializers as out
from wallet.api.v1.idempotency import idempotent
from wallet.api.v1.inputs import BankAccountInput, PayoutInput
from wallet.api.v1.views.base import MoneyView, WalletView, confirm_pin, valid
from wallet.exceptions import PaystackAPIError
from wallet.models import Bank, TransactionType
from wallet.services.wallet_service import WalletService


class BankListView(WalletView):
    @extend_schema(operation_id="banks", responses=out.BankSerializer(many=True))
    def get(self, request):
        _ensure_bank_list()
        banks = Bank.objects.filter(active=True).order_by("name").values("code", "name")
        return Response(out.BankSerializer(banks, many=True).data)


def _ensure_bank_list():
    """A fresh install has no banks until the weekly sync first runs: fetch them once now."""
    if Bank.objects.filter(active=True).exists():
        return
    try:
        WalletService().sync_banks()
    except PaystackAPIError:
        pass  # an empty list now; the scheduled sync fills it


class ResolveAccountView(MoneyView):
    # Throttled like money: each resolution reaches Paystack and names an account holder.
    throttle_reads = True

    @extend_schema(
        operation_id="banks_resolve",
        parameters=[BankAccountInput],
        responses=out.ResolvedAccountSerializer,
    )
    def get(self, request):
        query = valid(BankAccountInput, request.query_params)
        resolved = WalletService().verify_bank_account(query["account_number"], query["bank_code"])
        data = {
            "account_number": query["account_number"],
            "account_name": resolved.get("account_name", ""),
            "bank_code": query["bank_code"],
        }
        return Response(out.ResolvedAccountSerializer(data).data)


def my_bank_account(view, pk):
    return get_object_or_404(
        view.wallet().bank_accounts.filter(is_active=True).select_related("bank"), pk=pk
    )


class BankAccountListView(MoneyView):
    @extend_schema(operation_id="me_bank_accounts", responses=out.BankAccountSerializer(many=True))
    def get(self, request):
        accounts = (
            self.wallet()
            .bank_accounts.filter(is_active=True)
            .select_related("bank")
            .order_by("-is_default", "-created_at")
        )
        return Response(out.BankAccountSerializer(accounts, many=True).data)

    @extend_schema(
        operation_id="me_bank_account_add",
        request=BankAccountInput,
        responses={201: out.BankAccountSerializer},
    )
    @idempotent
    def post(self, request):
        """Resolve the account with the bank and keep it, in the name the bank gave. Needs a
        session that re-authenticated recently: 403 reauthentication_required (tokens: web-only)."""
        data = valid(BankAccountInput, request.data)
        require_reauthentication_for_api(request)
        confirm_pin(request, data)
        account = WalletService().add_bank_account(
            wallet=self.wallet(),
            bank_code=data["bank_code"],
            account_number=data["account_number"],
        )
        return Response(out.BankAccountSerializer(account).data, status=201)


class BankAccountView(WalletView):
    @extend_schema(operation_id="me_bank_account", responses=out.BankAccountSerializer)
    def get(self, request, pk):
        return Response(out.BankAccountSerializer(my_bank_account(self, pk)).data)

    @extend_schema(operation_id="me_bank_account_remove", responses={204: None})
    def delete(self, request, pk):
        WalletService().deactivate_bank_account(my_bank_account(self, pk))
        return Response(status=204)


class BankAccountDefaultView(WalletView):
    @extend_schema(
        operation_id="me_bank_account_make_default",
        request=None,
        responses=out.BankAccountSerializer,
    )
    def post(self, request, pk):
        account = WalletService().set_default_bank_account(my_bank_account(self, pk))
        return Response(out.BankAccountSerializer(account).data)


class WithdrawalListView(MoneyView):
    @extend_schema(
        operation_id="me_withdrawal_create",
        request=PayoutInput,
        responses={201: out.WithdrawalSerializer},
    )
    @idempotent
    def post(self, request):
        """Debit amount + fee now and send it to one of the wallet's bank accounts."""
        data = valid(PayoutInput, request.data)
        confirm_pin(request, data)
        account = my_bank_account(self, data["bank_account_id"])
        transaction, _ = WalletService().withdraw_to_bank(
            wallet=self.wallet(),
            amount=data["amount"],
            bank_account=account,
            reason=data.get("reason", ""),
            reference=reference_for_key(request),
        )
        transaction.refresh_from_db()
        return Response(out.WithdrawalSerializer(transaction).data, status=201)


class WithdrawalView(WalletView):
    @extend_schema(operation_id="me_withdrawal", responses=out.WithdrawalSerializer)
    def get(self, request, pk):
        withdrawals = self.wallet().transactions.filter(transaction_type=TransactionType.WITHDRAWAL)
        transaction = get_object_or_404(withdrawals.select_related("payout"), pk=pk)
        return Response(out.WithdrawalSerializer(transaction).data)
