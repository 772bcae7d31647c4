"""Account limits: the wallet's KYC tier, what is left today, and the way up a tier."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wallet import selectors
from wallet.dates import DayField
from wallet.exceptions import WalletError
from wallet.services.outflows.identification import (
    request_bvn_identification,
    request_nin_review,
)
from wallet.services.wallet_service import WalletService


class BvnForm(forms.Form):
    bank_account = forms.ModelChoiceField(
        queryset=None, empty_label=None, label="Your bank account (the BVN is checked against it)"
    )
    bvn = forms.CharField(
        label="BVN (11 digits)",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = DayField(label="Date of birth")

    def __init__(self, *args, wallet, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = wallet.bank_accounts.filter(is_active=True).select_related("bank")
        self.fields["bank_account"].queryset = accounts


class NinForm(forms.Form):
    nin = forms.CharField(
        label="NIN (11 digits)",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def limits(request):
    service = WalletService()
    wallet = service.get_wallet(request.user)
    kind = request.POST.get("kind")
    bvn_form = BvnForm(request.POST if kind == "bvn" else None, wallet=wallet)
    nin_form = NinForm(request.POST if kind == "nin" else None)
    form = bvn_form if kind == "bvn" else nin_form
    if request.method == "POST" and form.is_valid():
        try:
            _send_for_review(service, wallet, kind, form.cleaned_data)
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Sent for verification: we will update your tier shortly.")
            return redirect("wallet:limits")
    context = {
        "wallet": wallet,
        "limits": selectors.tier_status(wallet=wallet),
        "tiers": selectors.all_tiers(),
        "identifications": selectors.identifications_for_wallet(wallet=wallet),
        "bvn_form": bvn_form,
        "nin_form": nin_form,
        "has_accounts": bvn_form.fields["bank_account"].queryset.exists(),
    }
    status = 422 if form.errors else 200
    return render(request, "wallet/security/limits.html", context, status=status)


def _send_for_review(service, wallet, kind, data):
    if kind == "bvn":
        return request_bvn_identification(
            service.paystack,
            wallet=wallet,
            bvn=data["bvn"],
            date_of_birth=data["date_of_birth"],
            bank_account=data["bank_account"],
        )
    return request_nin_review(wallet=wallet, nin=data["nin"])
