"""Withdraw to a bank account, follow it, and finalize it with an OTP when Paystack asks."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from wallet.amounts import AmountField
from wallet.exceptions import PaystackUnavailable, WalletError
from wallet.models import TransactionStatus, TransactionType
from wallet.ratelimit import allow
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import check_amount
from wallet.services.wallet_service import WalletService

PAYOUT_TYPES = (TransactionType.WITHDRAWAL, TransactionType.SETTLEMENT)


class WithdrawForm(forms.Form):
    bank_account = forms.ModelChoiceField(queryset=None, empty_label=None, label="To")
    amount = AmountField(label="Amount")
    reason = forms.CharField(label="Narration", max_length=100, required=False)

    def __init__(self, *args, wallet, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = wallet.bank_accounts.filter(is_active=True).select_related("bank")
        self.fields["bank_account"].queryset = accounts


class OTPForm(forms.Form):
    otp = forms.RegexField(
        label="OTP",
        regex=r"^[0-9]{4,8}$",
        error_messages={"invalid": "Enter the digits of the OTP."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _wallet(request):
    return WalletService().get_wallet(request.user)


def _payout(request, pk):
    payouts = _wallet(request).transactions.filter(
        transaction_type__in=PAYOUT_TYPES, payout__isnull=False
    )
    return get_object_or_404(payouts.select_related("payout__bank_account__bank"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def withdraw(request):
    wallet = _wallet(request)
    initial = {"bank_account": request.GET.get("bank_account")} if request.method == "GET" else None
    form = WithdrawForm(request.POST or None, wallet=wallet, initial=initial)
    if request.method == "POST" and not allow("withdrawal", str(request.user.pk)):
        form.add_error(None, "Too many withdrawals in a short time. Wait a minute and try again.")
        return _form_page(request, form, wallet, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            tx, _ = WalletService().withdraw_to_bank(
                wallet=wallet,
                amount=form.cleaned_data["amount"],
                bank_account=form.cleaned_data["bank_account"],
                reason=form.cleaned_data["reason"],
            )
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            return _after_withdraw(request, tx)
    return _form_page(request, form, wallet, status=422 if form.errors else 200)


def _form_page(request, form, wallet, status):
    accounts = form.fields["bank_account"].queryset
    context = {"form": form, "wallet": wallet, "has_accounts": accounts.exists()}
    template = "wallet/withdraw/form.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


def _after_withdraw(request, tx):
    if tx.status == TransactionStatus.OTP:
        messages.info(request, "Enter the OTP to release this withdrawal.")
    elif tx.status == TransactionStatus.FAILED:
        messages.error(request, f"The withdrawal failed and the money is back: {tx.failure_reason}")
    else:
        messages.success(
            request, f"Withdrawal of ₦{tx.amount:,} {tx.get_status_display().lower()}."
        )
    url = reverse("wallet:withdrawal_detail", args=[tx.pk])
    if request.htmx:
        return trigger_client_event(HttpResponseClientRedirect(url), "walletChanged")
    return redirect(url)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def withdrawal_detail(request, pk):
    """The withdrawal's status; while it is open the status panel polls itself."""
    tx = _payout(request, pk)
    context = {"tx": tx, "payout": tx.payout, "otp_form": OTPForm()}
    template = "wallet/withdraw/detail.html" + ("#status" if request.htmx else "")
    response = render(request, template, context)
    if request.htmx and tx.is_final:
        trigger_client_event(response, "walletChanged")
    return response


@login_required
@require_POST
def withdrawal_finalize(request, pk):
    tx = _payout(request, pk)
    form = OTPForm(request.POST)
    if not allow("transfer_otp", str(request.user.pk)):
        form.add_error("otp", "Too many attempts. Wait a minute and try again.")
        context = {"tx": tx, "payout": tx.payout, "otp_form": form}
        return render(request, "wallet/withdraw/detail.html", context, status=429)
    if form.is_valid():
        try:
            tx, _ = WalletService().finalize_transfer(transaction=tx, otp=form.cleaned_data["otp"])
        except PaystackUnavailable:
            messages.warning(
                request, "The bank did not answer; we are checking and will update this page."
            )
            return redirect("wallet:withdrawal_detail", pk=tx.pk)
        except WalletError as error:
            form.add_error("otp", error.message)
        else:
            messages.success(
                request, f"OTP accepted: withdrawal {tx.get_status_display().lower()}."
            )
            return redirect("wallet:withdrawal_detail", pk=tx.pk)
    context = {"tx": tx, "payout": tx.payout, "otp_form": form}
    return render(request, "wallet/withdraw/detail.html", context, status=422)


@login_required
@require_POST
def withdrawal_resend_otp(request, pk):
    tx = _payout(request, pk)
    if not allow("transfer_otp", str(request.user.pk)):
        messages.error(request, "Too many attempts. Wait a minute and try again.")
        return redirect("wallet:withdrawal_detail", pk=tx.pk)
    try:
        WalletService().resend_transfer_otp(transaction=tx)
    except WalletError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "A new OTP is on its way.")
    return redirect("wallet:withdrawal_detail", pk=tx.pk)


@login_required
@require_GET
def withdrawal_fee(request):
    """The fee preview under the amount field (htmx)."""
    try:
        amount = check_amount(request.GET.get("amount", ""))
    except WalletError:
        return render(request, "wallet/withdraw/form.html#fee", {})
    fee = compute_fee(transaction_type=TransactionType.WITHDRAWAL, amount=amount).amount
    return render(
        request,
        "wallet/withdraw/form.html#fee",
        {"amount": amount, "fee": fee, "total": amount + fee},
    )
