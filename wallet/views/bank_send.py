"""Send to any bank account (issue 24): pick a saved account or a bank + 10-digit number, see
the name the bank holds, review (amount, fee, name) with the PIN, follow it; and the saved
accounts (beneficiaries): renamed or removed by their owner only."""

from django import forms
from django.conf import settings
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
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.posting import new_reference
from wallet.services.payouts.bank_send import (
    bank_send_fee,
    known_beneficiary,
    listed_beneficiaries,
    preview_bank_send,
    remove_beneficiary,
    rename_beneficiary,
)
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import customer_status
from wallet.views.bank_accounts import account_name_fragment, bank_choices
from wallet.views.outflow_pin import confirm_with_pin, pin_context

UNKNOWN_BANK = "Choose a bank from the list."


class BankSendForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        queryset=None, required=False, label="Saved account", empty_label="A new account"
    )
    account_number = forms.CharField(
        label="Account number",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_code = forms.ChoiceField(
        label="Bank", required=False, error_messages={"invalid_choice": UNKNOWN_BANK}
    )
    amount = AmountField(label="Amount")
    reason = forms.CharField(label="Narration", max_length=100, required=False)
    reference = forms.RegexField(
        regex=r"^bks-[0-9]{8}-[0-9a-f]{16}$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, wallet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = listed_beneficiaries(wallet)
        self.fields["bank_code"].choices = bank_choices()

    def clean_amount(self):
        try:
            return check_amount(self.cleaned_data["amount"])
        except WalletError as error:
            raise forms.ValidationError(error.message)

    def clean(self):
        data = super().clean()
        if data.get("beneficiary") is not None:
            return data
        number = data.get("account_number", "")
        if not (number.isascii() and number.isdigit() and len(number) == 10):
            self.add_error("account_number", "An account number is 10 digits.")
        if not data.get("bank_code") and "bank_code" not in self.errors:
            self.add_error("bank_code", UNKNOWN_BANK)
        return data


def _wallet(request):
    return WalletService().get_wallet(request.user)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def bank_send(request):
    """Fill in, review (bank, the bank's name for the account, amount, fee; the PIN), send."""
    service = WalletService()
    service.ensure_bank_list()
    wallet = service.get_wallet(request.user)
    if request.method == "GET":
        initial = {"beneficiary": request.GET.get("beneficiary")}
        return _form_page(request, BankSendForm(wallet=wallet, initial=initial), wallet, 200)
    step = request.POST.get("step", "review")
    form = BankSendForm(request.POST, wallet=wallet)
    if step == "edit":
        return _form_page(request, BankSendForm(wallet=wallet, initial=form.data), wallet, 200)
    if not form.is_valid():
        return _form_page(request, form, wallet, status=422)
    if step == "send":
        return _send(request, wallet, form)
    return _review(request, wallet, form)


def _destination(form) -> dict:
    """The account as the review names it: a saved one, or Paystack's resolution of a new one."""
    data = form.cleaned_data
    if data["beneficiary"] is not None:
        b = data["beneficiary"]
        return {"bank": b.bank, "number": b.account_number, "name": b.account_name, "saved": b}
    resolved = WalletService().resolve_bank_account(data["bank_code"], data["account_number"])
    return {
        "bank": resolved["bank"],
        "number": resolved["account_number"],
        "name": resolved["account_name"],
        "saved": None,
    }


def _review(request, wallet, form, error=None, status=200):
    data = form.cleaned_data
    fee = bank_send_fee(data["amount"])
    try:
        destination = _destination(form)
        if error is None:
            known = destination["saved"] or known_beneficiary(
                wallet, destination["bank"].code, destination["number"]
            )
            preview_bank_send(wallet, data["amount"], known)
    except PaystackUnavailable:
        form.add_error(None, "The bank is not answering right now; try again in a moment.")
        return _form_page(request, form, wallet, status=422)
    except WalletError as refusal:
        form.add_error(None, refusal.message)
        return _form_page(request, form, wallet, status=422)
    context = {
        "form": form,
        "wallet": wallet,
        "destination": destination,
        "masked": f"••••{destination['number'][-4:]}",
        "amount": data["amount"],
        "fee": fee,
        "total": data["amount"] + fee,
        "reference": data["reference"] or new_reference("bks"),
        "error": error,
        **pin_context(request.user),
    }
    template = "wallet/bank_send/form.html" + ("#review" if request.htmx else "")
    return render(request, template, context, status=status)


def _send(request, wallet, form):
    if not allow("bank_send", str(request.user.pk)):
        form.add_error(None, "Too many payments in a short time. Wait a minute and try again.")
        return _form_page(request, form, wallet, status=429)
    refusal = confirm_with_pin(request)
    if refusal:
        return _review(request, wallet, form, error=refusal, status=422)
    data = form.cleaned_data
    try:
        tx, _ = WalletService().send_to_bank(
            wallet=wallet,
            amount=data["amount"],
            beneficiary=data["beneficiary"],
            bank_code=data["bank_code"],
            account_number=data["account_number"],
            reason=data["reason"],
            reference=data["reference"] or None,
        )
    except PaystackUnavailable:
        form.add_error(None, "The bank is not answering right now; nothing was sent. Try again.")
        return _form_page(request, form, wallet, status=422)
    except WalletError as error:
        form.add_error(None, error.message)
        return _form_page(request, form, wallet, status=422)
    if tx.status == TransactionStatus.FAILED:
        messages.error(request, f"The payment failed and the money is back: {tx.failure_reason}")
    else:
        messages.success(request, f"Payment of ₦{tx.amount:,} {customer_status(tx).lower()}.")
    url = reverse("wallet:bank_send_detail", args=[tx.pk])
    if request.htmx:
        return trigger_client_event(HttpResponseClientRedirect(url), "walletChanged")
    return redirect(url)


def _form_page(request, form, wallet, status):
    context = {
        "form": form,
        "wallet": wallet,
        "beneficiaries": form.fields["beneficiary"].queryset,
        "first_cap": settings.WALLET_BANK_SEND_FIRST_CAP,
    }
    template = "wallet/bank_send/form.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def bank_send_detail(request, pk):
    """The payment's status; while it is open the status panel polls itself."""
    sends = _wallet(request).transactions.filter(
        transaction_type=TransactionType.BANK_SEND, payout__isnull=False
    )
    tx = get_object_or_404(sends.select_related("payout__beneficiary__bank"), pk=pk)
    context = {"tx": tx, "payout": tx.payout, "account": tx.payout.beneficiary}
    template = "wallet/bank_send/detail.html" + ("#status" if request.htmx else "")
    response = render(request, template, context)
    if request.htmx and tx.is_final:
        trigger_client_event(response, "walletChanged")
    return response


@login_required
@require_GET
def bank_send_lookup(request):
    """The account name as the customer types (htmx fragment): someone else's account, so no
    "not your name" warning."""
    return account_name_fragment(request, own_account=False)


def _my_beneficiary(request, pk):
    return get_object_or_404(listed_beneficiaries(_wallet(request)), pk=pk)


@login_required
@require_POST
def beneficiary_rename(request, pk):
    beneficiary = _my_beneficiary(request, pk)
    try:
        rename_beneficiary(beneficiary, nickname=request.POST.get("nickname", ""))
    except WalletError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{beneficiary.bank.name} {beneficiary.masked_number} renamed.")
    return redirect("wallet:bank_send")


@login_required
@require_POST
def beneficiary_remove(request, pk):
    beneficiary = _my_beneficiary(request, pk)
    remove_beneficiary(beneficiary)
    messages.success(request, f"{beneficiary.bank.name} {beneficiary.masked_number} removed.")
    return redirect("wallet:bank_send")
