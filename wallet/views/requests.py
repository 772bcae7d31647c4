"""Money requests (issue 24): ask someone (by @handle, phone or e-mail) for an amount, see the
requests you made and received, pay one with the PIN, decline it, cancel yours, block someone;
each request also has a public link (and QR code) anyone can pay."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wallet import selectors
from wallet.amounts import AmountField
from wallet.exceptions import WalletError
from wallet.models import MoneyRequest
from wallet.ratelimit import allow
from wallet.services.paylinks.qr import qr_png
from wallet.services.requests.operations import (
    block_requester,
    cancel_request,
    create_request,
    decline_request,
    is_expired,
    pay_request,
)
from wallet.services.wallet_service import WalletService
from wallet.views.outflow_pin import confirm_with_pin, pin_context


class RequestForm(forms.Form):
    who = forms.CharField(
        label="From whom",
        max_length=254,
        required=False,
        help_text="Their @handle, phone or e-mail; empty for a link anyone can pay.",
    )
    amount = AmountField(label="Amount")
    note = forms.CharField(label="What for", max_length=140, required=False)


def _wallet(request):
    return WalletService().get_wallet(request.user)


def _mine(wallet):
    return MoneyRequest.objects.filter(Q(requester=wallet) | Q(payer=wallet)).select_related(
        "requester__user", "payer__user"
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_list(request):
    wallet = _wallet(request)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = _create(request, wallet, form)
        if made is not None:
            messages.success(request, f"Request for ₦{made.amount:,} sent.")
            return redirect("wallet:requests")
    context = {
        "form": form,
        "received": _mine(wallet).filter(payer=wallet)[:50],
        "made": _mine(wallet).filter(requester=wallet)[:50],
    }
    status = 422 if form.errors else 200
    return render(request, "wallet/requests/list.html", context, status=status)


def _create(request, wallet, form):
    if not allow("money_request", str(request.user.pk)):
        form.add_error(None, "Too many requests in a short time. Wait a minute and try again.")
        return None
    who = form.cleaned_data["who"].strip()
    payer = None
    if who:
        payer = selectors.find_recipient(who, currency=wallet.currency)
        if payer is None:
            form.add_error("who", "No wallet found for that @handle, phone or e-mail.")
            return None
    try:
        return create_request(
            requester=wallet,
            payer=payer,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
    except WalletError as error:
        form.add_error(None, error.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def request_pay(request, pk):
    """Review the request (who, amount, note) and pay it with the PIN."""
    wallet = _wallet(request)
    money_request = get_object_or_404(_mine(wallet).filter(payer=wallet), pk=pk)
    error = None
    if request.method == "POST":
        error = confirm_with_pin(request)
        if error is None:
            try:
                pay_request(WalletService().transfer, request_id=money_request.pk, payer=wallet)
            except WalletError as refusal:
                error = refusal.message
            else:
                messages.success(request, f"You paid ₦{money_request.amount:,}.")
                return redirect("wallet:requests")
    context = {
        "money_request": money_request,
        "expired": is_expired(money_request),
        "requester": selectors.display_name(money_request.requester.user),
        "error": error,
        **pin_context(request.user),
    }
    return render(request, "wallet/requests/pay.html", context, status=422 if error else 200)


@login_required
@require_POST
def request_decline(request, pk):
    wallet = _wallet(request)
    money_request = get_object_or_404(_mine(wallet).filter(payer=wallet), pk=pk)
    _answer(
        request,
        lambda: decline_request(request_id=money_request.pk, payer=wallet),
        "Request declined.",
    )
    if request.POST.get("block") == "1":
        block_requester(blocker=wallet, blocked=money_request.requester)
        messages.success(request, "You will get no more requests from them.")
    return redirect("wallet:requests")


@login_required
@require_POST
def request_cancel(request, pk):
    wallet = _wallet(request)
    money_request = get_object_or_404(_mine(wallet).filter(requester=wallet), pk=pk)
    _answer(
        request,
        lambda: cancel_request(request_id=money_request.pk, requester=wallet),
        "Request cancelled.",
    )
    return redirect("wallet:requests")


def _answer(request, action, done: str) -> None:
    try:
        action()
    except WalletError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


@login_required
@require_GET
def request_qr(request, pk):
    """The QR code of one of your requests' public link, to download or share."""
    wallet = _wallet(request)
    money_request = get_object_or_404(_mine(wallet).filter(requester=wallet), pk=pk)
    url = request.build_absolute_uri(reverse("pay:request", args=[money_request.token]))
    response = HttpResponse(qr_png(url), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="request-{money_request.pk}.png"'
    return response
