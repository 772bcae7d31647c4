"""Bank accounts: list, add (after a recent re-authentication), live name lookup, remove."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.reauthentication import reauthentication_required
from wallet.exceptions import BankListUnavailable, PaystackUnavailable, WalletError
from wallet.models import Bank
from wallet.ratelimit import allow
from wallet.services.wallet_service import WalletService
from wallet.views.outflow_pin import confirm_with_pin, pin_context

# Where most Nigerians bank (the big commercial banks and the fintechs), listed first in the
# picker so that most people never scroll the other hundred.
POPULAR_BANK_CODES = (
    "999992", "50515", "999991", "50211", "058", "044", "057", "011", "033", "070", "214",
    "232", "032", "035", "221", "050",
)


def bank_choices():
    """The picker's options: popular banks first (in that order), then all others A-Z."""
    banks = dict(Bank.objects.filter(active=True).order_by("name").values_list("code", "name"))
    popular = [(code, banks[code]) for code in POPULAR_BANK_CODES if code in banks]
    others = [(code, name) for code, name in banks.items() if code not in POPULAR_BANK_CODES]
    groups = [("Popular banks", popular), ("All banks, A to Z", others)]
    return [("", "Choose your bank"), *[group for group in groups if group[1]]]


class BankAccountForm(forms.Form):
    # Account number first, the way Nigerian banking apps ask: it is what people have to hand.
    account_number = forms.RegexField(
        label="Account number",
        regex=r"^[0-9]{10}$",
        max_length=10,
        error_messages={"invalid": "An account number is 10 digits."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_code = forms.ChoiceField(label="Bank")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_code"].choices = bank_choices()
        if len(self.fields["bank_code"].choices) == 1:  # Paystack could not be asked yet:
            self.fields["bank_code"].help_text = BankListUnavailable.default_message  # say so


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
    WalletService().ensure_bank_list()
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


@login_required
@require_GET
def bank_account_lookup(request):
    """The account name as the user types: the htmx fragment under the account number field.
    For one of the customer's own accounts, a name unlike theirs is flagged."""
    return account_name_fragment(request, own_account=True)


def account_name_fragment(request, *, own_account: bool):
    """The bank's name for the typed account number (htmx fragment), rate-limited per customer;
    shared by "Add a bank account" and "Send to bank"."""
    number = request.GET.get("account_number", "").strip()
    code = request.GET.get("bank_code", "").strip()
    context = {"number": number}
    if not allow("bank_account_lookup", str(request.user.pk)):
        context["error"] = "Too many look-ups in a short time. Wait a minute and try again."
        return render(request, "wallet/bank_accounts/add.html#lookup", context, status=429)
    if len(number) == 10 and number.isascii() and number.isdigit() and code:
        try:
            context["resolved"] = WalletService().verify_bank_account(number, code)
            if own_account:
                context["name_differs"] = _not_your_name(context["resolved"], request.user)
        except PaystackUnavailable:
            context["error"] = "The bank is not answering right now; try again in a moment."
        except WalletError as error:
            context["error"] = error.message
    return render(request, "wallet/bank_accounts/add.html#lookup", context)


def _not_your_name(resolved, user) -> bool:
    """True when the bank's name for the account shares no name with the customer's: money
    sent there would go to someone else, so the page warns before it is saved."""
    held_by = set((resolved.get("account_name") or "").lower().split())
    yours = {part.lower() for part in (user.first_name, user.last_name) if part.strip()}
    return bool(yours) and not (held_by & yours)


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
