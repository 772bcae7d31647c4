"""The usage guide's "Example View for Wallet Dashboard", verbatim, mounted next to the site."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path

from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService


# fmt: off
@login_required
def wallet_dashboard(request):
    wallet_service = WalletService()
    transaction_service = TransactionService()

    # Get or create user's wallet
    wallet = wallet_service.get_wallet(request.user)

    # Get recent transactions
    recent_transactions = transaction_service.list_transactions(
        wallet=wallet,
        limit=10
    )

    # Get wallet cards
    cards = wallet.cards.filter(is_active=True)

    # Get bank accounts
    bank_accounts = wallet.bank_accounts.filter(is_active=True)

    context = {
        'wallet': wallet,
        'balance': wallet.balance,
        'recent_transactions': recent_transactions,
        'cards': cards,
        'bank_accounts': bank_accounts
    }

    return render(request, 'wallet/dashboard.html', context)
# fmt: on


urlpatterns = [
    path("guide/dashboard/", wallet_dashboard),
    path("", include("walletsite.urls")),
]
