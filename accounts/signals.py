"""Connects accounts (allauth) to the wallet: a wallet at sign-up, and for every change of who
the account belongs to, the security notice to the address on record before the change (with
the cooling-off and the token revocation where they apply, account_security.py says which)."""

from allauth.account import signals as account_signals
from allauth.account.signals import user_signed_up
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.dispatch import receiver


def _account_security():
    from wallet.services.outflows import account_security

    return account_security


@receiver(user_signed_up)
def open_wallet_for_new_user(sender, request, user, **kwargs):
    """Connects accounts to wallet: every new user gets a wallet at sign-up."""
    from wallet.services.wallet_service import WalletService

    WalletService().get_wallet(user)


@receiver(account_signals.password_changed)
def on_password_changed(sender, request, user, **kwargs):
    _account_security().credentials_changed(user=user, kind="password_changed")


@receiver(account_signals.password_set)
def on_password_set(sender, request, user, **kwargs):
    _account_security().credentials_changed(user=user, kind="password_changed")


@receiver(account_signals.password_reset)
def on_password_reset(sender, request, user, **kwargs):
    _account_security().credentials_changed(user=user, kind="password_reset")


@receiver(account_signals.email_changed)
def on_primary_email_changed(sender, request, user, from_email_address, to_email_address, **kw):
    old = from_email_address.email if from_email_address else ""
    _account_security().credentials_changed(
        user=user, kind="email_changed", address=old, detail=f"it is now {to_email_address.email}"
    )


@receiver(account_signals.email_added)
def on_email_added(sender, request, user, email_address, **kwargs):
    _account_security().send_security_notice(
        user=user, kind="email_added", detail=email_address.email
    )


@receiver(account_signals.email_removed)
def on_email_removed(sender, request, user, email_address, **kwargs):
    _account_security().send_security_notice(
        user=user, kind="email_removed", detail=email_address.email
    )


@receiver(mfa_signals.authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        _account_security().send_security_notice(user=user, kind="mfa_added")


@receiver(mfa_signals.authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        _account_security().credentials_changed(user=user, kind="mfa_removed")
