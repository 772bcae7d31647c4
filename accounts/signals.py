from allauth.account.signals import user_signed_up
from django.dispatch import receiver


@receiver(user_signed_up)
def open_wallet_for_new_user(sender, request, user, **kwargs):
    """Connects accounts to wallet: every new user gets a wallet at sign-up."""
    from wallet.services.wallet_service import WalletService

    WalletService().get_wallet(user)
