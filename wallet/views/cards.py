"""Saved cards: list, charge one into the wallet, make default, remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from wallet.exceptions import WalletError
from wallet.services.wallet_service import WalletService
from wallet.views.deposit import AmountForm


@login_required
@require_GET
@vary_on_headers("HX-Request")
def card_list(request):
    wallet = WalletService().get_wallet(request.user)
    return _render_cards(request, wallet)


@login_required
@require_POST
def card_charge(request, pk):
    """Charge a saved card: success credits at once; a bank asking for 2FA sends the payer
    to its page; a decline is shown in the form and nothing moves."""
    service = WalletService()
    wallet = service.get_wallet(request.user)
    card = get_object_or_404(wallet.cards, pk=pk, is_active=True)
    form = AmountForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = service.charge_saved_card(card=card, amount=form.cleaned_data["amount"])
        except WalletError as error:
            form.add_error(None, error.message)
    if result and result["status"] == "paused" and result["authorization_url"]:
        url = result["authorization_url"]
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {"card": card, "form": form if form.errors else AmountForm(), "result": result}
    response = render(
        request, "wallet/cards/charge_form.html", context, status=422 if form.errors else 200
    )
    if result and result["status"] == "success":
        trigger_client_event(response, "walletChanged")
        messages.success(request, f"₦{result['amount']} added from {card}.")
    return response if request.htmx else _back_to_cards(request, form)


@login_required
@require_POST
def card_remove(request, pk):
    service = WalletService()
    wallet = service.get_wallet(request.user)
    card = get_object_or_404(wallet.cards, pk=pk, is_active=True)
    service.deactivate_card(card)
    messages.success(request, f"{card} removed.")
    return _render_cards(request, wallet) if request.htmx else redirect("wallet:cards")


@login_required
@require_POST
def card_make_default(request, pk):
    service = WalletService()
    wallet = service.get_wallet(request.user)
    card = get_object_or_404(wallet.cards, pk=pk, is_active=True)
    service.set_default_card(card)
    messages.success(request, f"{card} is now your default card.")
    return _render_cards(request, wallet) if request.htmx else redirect("wallet:cards")


def _render_cards(request, wallet):
    template = "wallet/cards/cards.html" + ("#card-list" if request.htmx else "")
    cards = wallet.cards.filter(is_active=True)
    return render(request, template, {"wallet": wallet, "cards": cards, "form": AmountForm()})


def _back_to_cards(request, form):
    for error in form.non_field_errors() + form.errors.get("amount", []):
        messages.error(request, error)
    return redirect("wallet:cards")
