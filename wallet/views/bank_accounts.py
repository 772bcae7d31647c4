"""Bank accounts: list, add (after a recent re-authentication), live name lookup, remove."""

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from wallet.exceptions import PaystackAPIError, PaystackUnavailable, WalletError
from wallet.models import Bank
from wallet.ratelimit import allow
from wallet.services.payouts import sync_banks
from wallet.services.wallet_service import WalletService
from wallet.views.outflow_pin import confirm_with_pin, pin_context


class BankAccountForm(forms.Form):
    bank_code = forms.ChoiceField(label="Bank")
    account_number = forms.RegexField(
        label="Account number",
        regex=r"^\d{10}$",
        max_length=10,
        error_messages={"invalid": "An account number is 10 digits."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        banks = Bank.objects.filter(active=True).values_list("code", "name")
        self.fields["bank_code"].choices = [("", "Choose your bank"), *banks]


def _wallet(request):
    return WalletService().get_wallet(request.user)


@login_required
@require_GET
def bank_account_list(request):
    accounts = _wallet(request).bank_accounts.filter(is_active=True).select_related("bank")
    return render(request, "wallet/bank_accounts/list.html", {"accounts": accounts})


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def bank_account_add(request):
    _ensure_bank_list()
    form = BankAccountForm(request.POST or None)
    limited = request.method == "POST" and not allow("bank_account_add", str(request.user.pk))
    if limited:
        form.add_error(None, "Too many attempts in a short time. Wait a minute and try again.")
    elif request.method == "POST" and form.is_valid() and _pin_confirmed(request, form):
        try:
            account = WalletService().add_bank_account(
                wallet=_wallet(request),
                bank_code=form.cleaned_data["bank_code"],
                account_number=form.cleaned_data["account_number"],
            )
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{account.account_name} · {account.bank.name} added.")
            if request.htmx:
                return HttpResponseClientRedirect("/wallet/bank-accounts/")
            return redirect("wallet:bank_accounts")
    status = 429 if limited else 422 if form.errors else 200
    template = "wallet/bank_accounts/add.html" + ("#form" if request.htmx else "")
    return render(request, template, {"form": form, **pin_context(request.user)}, status=status)


def _pin_confirmed(request, form) -> bool:
    """A new payout destination is an outflow's first step: it takes the PIN too."""
    refusal = confirm_with_pin(request)
    if refusal:
        form.add_error(None, refusal)
    return refusal is None


def _ensure_bank_list():
    """A fresh install has no banks until the weekly sync first runs: fetch them once now."""
    if Bank.objects.filter(active=True).exists():
        return
    try:
        sync_banks(WalletService().paystack)
    except PaystackAPIError:
        pass  # the form says the list is empty; the scheduled sync will fill it


@login_required
@require_GET
def bank_account_lookup(request):
    """The account name as the user types: the htmx fragment under the account number field."""
    number = request.GET.get("account_number", "").strip()
    code = request.GET.get("bank_code", "").strip()
    context = {"number": number}
    if not allow("bank_account_lookup", str(request.user.pk)):
        context["error"] = "Too many look-ups in a short time. Wait a minute and try again."
        return render(request, "wallet/bank_accounts/add.html#lookup", context, status=429)
    if len(number) == 10 and number.isdigit() and code:
        try:
            context["resolved"] = WalletService().verify_bank_account(number, code)
        except PaystackUnavailable:
            context["error"] = "The bank is not answering right now; try again in a moment."
        except WalletError as error:
            context["error"] = error.message
    return render(request, "wallet/bank_accounts/add.html#lookup", context)


@login_required
@require_POST
def bank_account_remove(request, pk):
    account = get_object_or_404(_wallet(request).bank_accounts.filter(is_active=True), pk=pk)
    WalletService().deactivate_bank_account(account)
    messages.success(request, f"{account.bank.name} {account.masked_number} removed.")
    return redirect("wallet:bank_accounts")


@login_required
@require_POST
def bank_account_make_default(request, pk):
    account = get_object_or_404(_wallet(request).bank_accounts.filter(is_active=True), pk=pk)
    WalletService().set_default_bank_account(account)
    messages.success(request, f"{account.bank.name} {account.masked_number} is now your default.")
    return redirect("wallet:bank_accounts")
