"""Account limits: the wallet's KYC tier, what is left today, and the way up a tier."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wallet import selectors
from wallet.exceptions import WalletError
from wallet.services.outflows.identification import request_identification
from wallet.services.wallet_service import WalletService


class BvnForm(forms.Form):
    bvn = forms.CharField(
        label="BVN (11 digits)",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )


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
    bvn_form = BvnForm(request.POST if kind == "bvn" else None)
    nin_form = NinForm(request.POST if kind == "nin" else None)
    form = bvn_form if kind == "bvn" else nin_form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            request_identification(
                service.paystack,
                wallet=wallet,
                kind=kind,
                number=data.get("bvn") or data.get("nin"),
                date_of_birth=data.get("date_of_birth"),
            )
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Sent for verification: we will update your tier shortly.")
            return redirect("wallet:limits")
    context = {
        "wallet": wallet,
        "limits": selectors.tier_status(wallet=wallet),
        "identifications": selectors.identifications_for_wallet(wallet=wallet),
        "bvn_form": bvn_form,
        "nin_form": nin_form,
    }
    status = 422 if form.errors else 200
    return render(request, "wallet/security/limits.html", context, status=status)
