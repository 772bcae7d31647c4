"""A dedicated bank account number for the wallet: money sent to it is credited once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wallet.exceptions import PaystackAPIError, WalletError
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import account_share_text


@login_required
@require_http_methods(["GET", "POST"])
def dedicated_account(request):
    service = WalletService()
    wallet = service.get_wallet(request.user)
    error = ""
    if request.method == "POST":
        try:
            service.request_dedicated_account(wallet)
        except (WalletError, PaystackAPIError) as failure:
            error = f"We could not get you an account number right now ({failure.message})."
        else:
            messages.success(request, "Your account number is ready.")
            return redirect("wallet:dedicated_account")
    account = getattr(wallet, "dedicated_account", None)
    context = {
        "wallet": wallet,
        "account": account,
        "share_text": _share_text(account) if account else "",
        "error": error,
    }
    return render(
        request,
        "wallet/dedicated_account/dedicated_account.html",
        context,
        status=503 if error else 200,
    )


def _share_text(account) -> str:
    return account_share_text(account)
