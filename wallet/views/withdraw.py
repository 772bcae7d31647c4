"""Withdraw to a bank account: fill in, review with the PIN, follow it.

Paystack's transfer OTP is never asked of the customer (docs/payouts.md): a payout that waits
for one shows "Processing — waiting for approval" while Finance enters it in the back office.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from wallet.amounts import AmountField
from wallet.exceptions import WalletError
from wallet.models import TransactionStatus, TransactionType
from wallet.ratelimit import allow
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import check_amount, preview_outflow
from wallet.services.ledger.posting import new_reference
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import customer_status
from wallet.views.outflow_pin import confirm_with_pin, pin_context

PAYOUT_TYPES = (TransactionType.WITHDRAWAL, TransactionType.SETTLEMENT)


class WithdrawForm(forms.Form):
    bank_account = forms.ModelChoiceField(queryset=None, empty_label=None, label="To")
    amount = AmountField(label="Amount")
    reason = forms.CharField(label="Narration", max_length=100, required=False)
    # Made on the review screen: a second "Withdraw" with it moves the money once.
    reference = forms.RegexField(
        regex=r"^wdr-[0-9]{8}-[0-9a-f]{16}$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, wallet, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = wallet.bank_accounts.filter(is_active=True).select_related("bank")
        self.fields["bank_account"].queryset = accounts

    def clean_amount(self):
        try:
            return check_amount(self.cleaned_data["amount"])
        except WalletError as error:
            raise forms.ValidationError(error.message)


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
    """Fill in, review (bank, name, amount, fee, total, arrival; the PIN), withdraw."""
    wallet = _wallet(request)
    if request.method == "GET":
        initial = {"bank_account": request.GET.get("bank_account")}
        return _form_page(request, WithdrawForm(wallet=wallet, initial=initial), wallet, 200)
    step = request.POST.get("step", "review")
    form = WithdrawForm(request.POST, wallet=wallet)
    if step == "edit":  # back from the review, with what was typed
        return _form_page(request, WithdrawForm(wallet=wallet, initial=form.data), wallet, 200)
    if not form.is_valid():
        return _form_page(request, form, wallet, status=422)
    if step == "send":
        return _send(request, wallet, form)
    return _review(request, wallet, form)


def _review(request, wallet, form, error=None, status=200):
    """Re-checks balance, fee and limits now and says which one fails."""
    data = form.cleaned_data
    fee = compute_fee(transaction_type=TransactionType.WITHDRAWAL, amount=data["amount"]).amount
    if error is None:
        try:
            preview_outflow(
                wallet, data["amount"] + fee, operation="withdrawal", amount=data["amount"]
            )
        except WalletError as refusal:
            form.add_error(None, refusal.message)
            return _form_page(request, form, wallet, status=422)
    context = {
        "form": form,
        "wallet": wallet,
        "has_accounts": True,
        "account": data["bank_account"],
        "amount": data["amount"],
        "fee": fee,
        "total": data["amount"] + fee,
        "reference": data["reference"] or new_reference("wdr"),
        "error": error,
        **pin_context(request.user),
    }
    template = "wallet/withdraw/form.html#review" if request.htmx else "wallet/withdraw/form.html"
    return render(request, template, context, status=status)


def _send(request, wallet, form):
    if not allow("withdrawal", str(request.user.pk)):
        form.add_error(None, "Too many withdrawals in a short time. Wait a minute and try again.")
        return _form_page(request, form, wallet, status=429)
    refusal = confirm_with_pin(request)
    if refusal:
        return _review(request, wallet, form, error=refusal, status=422)
    data = form.cleaned_data
    try:
        tx, _ = WalletService().withdraw_to_bank(
            wallet=wallet,
            amount=data["amount"],
            bank_account=data["bank_account"],
            reason=data["reason"],
            reference=data["reference"] or None,
        )
    except WalletError as error:
        form.add_error(None, error.message)
        return _form_page(request, form, wallet, status=422)
    return _after_withdraw(request, tx)


def _form_page(request, form, wallet, status):
    accounts = form.fields["bank_account"].queryset
    context = {"form": form, "wallet": wallet, "has_accounts": accounts.exists()}
    template = "wallet/withdraw/form.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


def _after_withdraw(request, tx):
    if tx.status == TransactionStatus.FAILED:
        messages.error(request, f"The withdrawal failed and the money is back: {tx.failure_reason}")
    else:
        messages.success(request, f"Withdrawal of ₦{tx.amount:,} {customer_status(tx).lower()}.")
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
    context = {"tx": tx, "payout": tx.payout}
    template = "wallet/withdraw/detail.html" + ("#status" if request.htmx else "")
    response = render(request, template, context)
    if request.htmx and tx.is_final:
        trigger_client_event(response, "walletChanged")
    return response


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
