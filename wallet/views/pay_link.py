"""The public payment page (issue 24): `/pay/@handle` and `/pay/r/<token>/` (a request with a
fixed amount), paid by anyone through Paystack's checkout; the page the payer comes back to;
and the customer's own page to share the link and QR code or switch it off.

The public pages show only the masked name and the amount. A page that cannot take payments
(no such handle, switched off, locked wallet, closed request) answers exactly the same 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from wallet.amounts import AmountField
from wallet.client_address import client_address
from wallet.exceptions import ChargeNotCredited, PaystackAPIError, WalletError
from wallet.ratelimit import allow
from wallet.selectors import masked_name
from wallet.services.paylinks.pages import (
    open_request_for_token,
    page_enabled,
    set_page_enabled,
    wallet_for_handle,
)
from wallet.services.paylinks.payments import link_payment_for_reference, start_link_payment
from wallet.services.paylinks.qr import qr_png, qr_svg
from wallet.services.wallet_service import WalletService

UNAVAILABLE = "wallet/pay_link/unavailable.html"


class PayerForm(forms.Form):
    amount = AmountField(label="Amount")
    payer_name = forms.CharField(label="Your name", max_length=80)
    payer_email = forms.EmailField(
        label="Your e-mail (for the receipt)",
        help_text="Only Paystack's receipt goes here; the person you pay never sees it.",
    )


def _limited(request) -> bool:
    return not allow("pay_link", client_address(request) or "unknown")


def _unavailable(request, status=404):
    return render(request, UNAVAILABLE, {}, status=status)


def _too_many(request):
    return render(request, UNAVAILABLE, {"limited": True}, status=429)


@require_http_methods(["GET", "POST"])
def pay_handle(request, handle):
    if _limited(request):
        return _too_many(request)
    wallet = wallet_for_handle(handle)
    if wallet is None:
        return _unavailable(request)
    return _pay_page(request, wallet, money_request=None)


@require_http_methods(["GET", "POST"])
def pay_request(request, token):
    if _limited(request):
        return _too_many(request)
    money_request = open_request_for_token(token)
    if money_request is None:
        return _unavailable(request)
    return _pay_page(request, money_request.requester, money_request=money_request)


def _pay_page(request, wallet, money_request):
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and money_request is not None:
        data["amount"] = str(money_request.amount)  # a request's amount is fixed
    form = PayerForm(data)
    if data is not None and form.is_valid():
        callback = request.build_absolute_uri(reverse("pay:done"))
        try:
            checkout = start_link_payment(
                WalletService().paystack,
                wallet=wallet,
                amount=form.cleaned_data["amount"],
                payer_name=form.cleaned_data["payer_name"],
                payer_email=form.cleaned_data["payer_email"],
                callback_url=callback,
                money_request=money_request,
            )
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            # Through htmx a client-side redirect (CSP's form-action covers only a POST's own
            # redirects); without JavaScript a plain one.
            if request.htmx:
                return HttpResponseClientRedirect(checkout["authorization_url"])
            return redirect(checkout["authorization_url"])
    context = {
        "form": form,
        "name": masked_name(wallet.user),
        "money_request": money_request,
    }
    status = 422 if form.errors else 200
    return render(request, "wallet/pay_link/pay.html", context, status=status)


@require_GET
def pay_done(request):
    """Paystack sends the payer back here. The query string proves nothing: the charge is
    verified with Paystack and credited by the one charge path (once, whoever is first)."""
    if _limited(request):
        return _too_many(request)
    reference = request.GET.get("reference") or request.GET.get("trxref") or ""
    link = link_payment_for_reference(reference)
    if link is None:
        return _unavailable(request)
    message = ""
    tx = link.transaction
    try:
        tx = WalletService().settle_card_charge(
            tx.reference, wallet=link.wallet, cancelled=request.GET.get("cancelled") == "1"
        )
    except ChargeNotCredited:
        tx.refresh_from_db()
    except PaystackAPIError:
        message = "We could not confirm the payment just now; you will get Paystack's receipt."
    context = {"tx": tx, "name": masked_name(link.wallet.user), "message": message}
    return render(request, "wallet/pay_link/done.html", context)


# --- the customer's own page -----------------------------------------------------------------


def link_url(request, user) -> str:
    return (
        request.build_absolute_uri(reverse("pay:handle", args=[user.handle])) if user.handle else ""
    )


@login_required
@require_GET
def my_pay_link(request):
    wallet = WalletService().get_wallet(request.user)
    url = link_url(request, request.user)
    context = {
        "wallet": wallet,
        "url": url,
        "enabled": page_enabled(wallet),
        "qr": qr_svg(url, title="QR code of your payment link") if url else "",
    }
    return render(request, "wallet/pay_link/mine.html", context)


@login_required
@require_GET
def my_pay_link_qr(request):
    url = link_url(request, request.user)
    if not url:
        return redirect("wallet:pay_link")
    response = HttpResponse(qr_png(url), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="pay-{request.user.handle}.png"'
    return response


@login_required
@require_POST
def my_pay_link_toggle(request):
    wallet = WalletService().get_wallet(request.user)
    enabled = request.POST.get("enabled") == "1"
    set_page_enabled(wallet, enabled=enabled)
    messages.success(
        request, "Your payment page is on." if enabled else "Your payment page is off."
    )
    return redirect("wallet:pay_link")
