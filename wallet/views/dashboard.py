"""The dashboard: balance, held money, quick actions, activity, saved methods, a chart.

The `live` panel re-renders itself through htmx whenever the wallet changes in this browser
(`walletChanged`) and on a short poll, so money that arrives from someone else shows up
without a reload.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wallet import charts, selectors
from wallet.services.wallet_service import WalletService


def _live_version(wallet, user):
    """What the live panel shows, cheaply: one short query over the wallet's rows (balance,
    newest row, rows in flight) and the bell's unread count, which the panel swaps out of band
    (memoised on the user, so the page's header reuses it)."""
    return f"{selectors.live_signature(wallet=wallet)}:{selectors.unread_count(user=user)}"


def _live_context(wallet, user, version):
    held = selectors.held_amount(wallet=wallet)
    recent = selectors.recent_transactions(wallet=wallet)
    pending = selectors.pending_transactions(wallet=wallet)
    money_in, money_out = selectors.month_flows(wallet=wallet)
    unread = selectors.unread_count(user=user)
    return {
        # Read only when the panel is drawn (a callable): the poll's 204 path never asks.
        "dedicated_account": lambda: selectors.dedicated_account_of(wallet=wallet),
        "unread_count": unread,
        "wallet": wallet,
        "held": held,
        "recent_transactions": recent,
        "pending_transactions": pending,
        "month_in": money_in,
        "month_out": money_out,
        "live_version": version,
    }


def _methods_context(wallet):
    return {
        "cards": selectors.saved_cards(wallet=wallet),
        "bank_accounts": selectors.saved_bank_accounts(wallet=wallet),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dashboard(request):
    wallet = WalletService().get_wallet(request.user)
    panel = request.GET.get("panel", "")
    if request.htmx and panel == "methods":
        return render(request, "wallet/dashboard.html#methods", _methods_context(wallet))
    version = _live_version(wallet, request.user)
    if request.htmx and panel == "live":
        if request.GET.get("v") == version:
            # Nothing changed: two short queries, nothing rendered; htmx keeps the panel.
            return HttpResponse(status=204)
        context = _live_context(wallet, request.user, version)
        return render(request, "wallet/dashboard.html#live", _with_chart(context, wallet))
    context = _live_context(wallet, request.user, version)
    context = {
        **_with_chart(context, wallet),
        "methods_later": True,  # saved cards and bank accounts load when scrolled into view
        "limits": selectors.tier_status(wallet=wallet),
    }
    return render(request, "wallet/dashboard.html", context)


def _with_chart(context, wallet):
    series = selectors.daily_balances(wallet=wallet)
    return {**context, "balance_chart": charts.balance_chart(series), "chart_days": len(series)}
