"""Add money by card: the amount form -> Paystack checkout -> the callback page, which
verifies on the server and shows success, failure or a pending state that updates itself."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from wallet.amounts import AmountField
from wallet.exceptions import ChargeNotCredited, InvalidAmount, PaystackAPIError, WalletError
from wallet.models import TransactionStatus
from wallet.services.funding.charges import find_charge
from wallet.services.ledger.limits import check_amount
from wallet.services.wallet_service import WalletService

FINAL_OK = TransactionStatus.SUCCESS
POLL_FOR = timedelta(minutes=15)


class AmountForm(forms.Form):
    amount = AmountField(
        label="Amount",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "5,000.00"}
        ),
    )

    def clean_amount(self):
        try:
            return check_amount(self.cleaned_data["amount"])
        except InvalidAmount as error:
            raise forms.ValidationError(error.message)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def deposit(request):
    """The "Add money" page: pay by card (new or saved) or by bank transfer."""
    service = WalletService()
    wallet = service.get_wallet(request.user)
    form = AmountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        callback_url = request.build_absolute_uri(reverse("wallet:deposit_callback"))
        try:
            checkout = service.initialize_card_charge(
                wallet=wallet,
                amount=form.cleaned_data["amount"],
                email=request.user.email,
                callback_url=callback_url,
            )
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            return _redirect_to(request, checkout["authorization_url"])
    context = {
        "wallet": wallet,
        "form": form,
        "cards": wallet.cards.filter(is_active=True),
        "dedicated_account": getattr(wallet, "dedicated_account", None),
    }
    template = "wallet/deposit/deposit.html" + ("#card-form" if request.htmx else "")
    return render(request, template, context, status=422 if form.errors else 200)


@login_required
@require_GET
def deposit_callback(request):
    """Paystack sends the payer here (`?reference=`). The query string proves nothing: the
    charge is verified with Paystack before anything is credited (once, whoever is first)."""
    wallet = WalletService().get_wallet(request.user)
    reference = request.GET.get("reference") or request.GET.get("trxref") or ""
    return _charge_status_page(
        request, wallet, reference, cancelled=request.GET.get("cancelled") == "1"
    )


@login_required
@require_GET
def deposit_status(request, reference):
    """The status panel of the callback page, polled by htmx while the charge is pending."""
    wallet = WalletService().get_wallet(request.user)
    return _charge_status_page(request, wallet, reference)


@login_required
@require_GET
def balance(request):
    """The balance panel shown on the funding pages; refreshed on `walletChanged`."""
    wallet = WalletService().get_wallet(request.user)
    return render(request, "wallet/deposit/balance.html", {"wallet": wallet})


def _charge_status_page(request, wallet, reference, cancelled=False):
    try:
        tx = find_charge(reference, wallet)
    except ChargeNotCredited as error:
        context = {"error": error.message, "reference": reference}
        return render(request, "wallet/deposit/not_found.html", context, status=404)
    was_final = tx.status == FINAL_OK
    message = ""
    try:
        tx = WalletService().settle_card_charge(reference, wallet=wallet, cancelled=cancelled)
    except ChargeNotCredited as error:
        tx.refresh_from_db()
        message = error.message
    except PaystackAPIError:
        message = "We could not reach Paystack just now; we will keep checking this payment."
    template = "wallet/deposit/callback.html" + ("#status" if request.htmx else "")
    wallet.refresh_from_db(fields=["balance"])  # the credit just posted: show the new balance
    # Poll Paystack while a payer could still be finishing; after that the webhook or the
    # reconcile job settles it (and the page says so).
    polling = tx.status == TransactionStatus.PENDING and timezone.now() - tx.created_at < POLL_FOR
    context = {"tx": tx, "message": message, "wallet": wallet, "polling": polling}
    response = render(request, template, context)
    if tx.status == FINAL_OK and not was_final:
        trigger_client_event(response, "walletChanged")
    return response


def _redirect_to(request, url):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
