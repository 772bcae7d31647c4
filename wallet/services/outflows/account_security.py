"""What happens around a change of who the account belongs to (issue 20):

- a notice to the address on record *before* the change, with a signed "This wasn't me" link
  (`send_security_notice`); each notice is audited (AuditEntry, on the customer's page);
- the link's freeze (`freeze_account`): no money leaves any of the customer's wallets
  (ledger.limits.charge_outflow and wallet_transfer() refuse), every session ends and every
  API token is revoked; support lifts it once they know it is the owner;
- the credential change itself (`credentials_changed`): API tokens revoked where the issue asks
  (password, primary e-mail) and the cooling-off started (safety.start_cooling_off).
"""

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wallet.models import AuditEntry, Wallet
from wallet.models.audit import AuditOutcome
from wallet.services.api_tokens import revoke_all_tokens
from wallet.services.notifications import events as notification_events
from wallet.services.outflows import notifications
from wallet.services.outflows.safety import start_cooling_off

FREEZE_SALT = "wallet.account-freeze"

# What each notice says happened (the e-mail's subject and first line).
NOTICES = {
    "email_added": "An e-mail address was added to your account",
    "email_removed": "An e-mail address was removed from your account",
    "email_changed": "Your account's e-mail address was changed",
    "phone_changed": "Your phone number was changed",
    "password_changed": "Your password was changed",
    "password_reset": "Your password was reset",
    "pin_set": "Your transaction PIN was set",
    "pin_changed": "Your transaction PIN was changed",
    "pin_reset": "Your transaction PIN was reset",
    "mfa_added": "Two-factor authentication was turned on",
    "mfa_removed": "Two-factor authentication was turned off",
    "api_token_created": "An API token was created",
    "bank_account_added": "A bank account was added for withdrawals",
    "new_device": "New sign-in: payments are limited for now",
}
# The changes that start the cooling-off, and those that also revoke every API token.
COOLING_OFF = {"email_changed", "password_changed", "password_reset", "pin_reset", "mfa_removed"}
REVOKE_TOKENS = {"email_changed", "password_changed", "password_reset"}


def freeze_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=FREEZE_SALT, compress=True)


def freeze_url(user) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("wallet:freeze", args=[freeze_token(user)])


def user_for_freeze_token(token: str):
    """The user a "This wasn't me" link was made for, or None (forged, altered, expired)."""
    from django.contrib.auth import get_user_model

    max_age = settings.WALLET_FREEZE_LINK_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=FREEZE_SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_id, int):
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def send_security_notice(*, user, kind: str, address: str = "", detail: str = "") -> None:
    """E-mail the address on record before the change that `kind` happened, with the "This
    wasn't me" link: `user.email` unless `address` is given (a new primary e-mail passes the
    old one). Audited now; mailed once the caller's transaction commits."""
    address = address or user.email
    what = NOTICES[kind]
    entry = AuditEntry.objects.create(
        action="security_notice",
        outcome=AuditOutcome.DONE,
        target_type="user",
        target_id=str(user.pk),
        target_repr=str(user)[:255],
        customer=user,
        reason=f"{what}. Notice e-mailed to {address}.",
        detail=(detail or kind)[:500],
    )
    # In the bell too (issue 23); its e-mail is the notice below, sent to the old address.
    notification_events.security_notice(
        user=user,
        title=what,
        body=f"{what}{': ' + detail if detail else '.'} If this was not you, open the link in "
        "the e-mail we sent about it and press “Freeze my account”.",
        event_key=f"{kind}:{entry.pk}",
        emailed_separately=True,
    )
    link = freeze_url(user)
    transaction.on_commit(
        lambda: notifications.security_notice(user, address, what=what, detail=detail, link=link)
    )


def credentials_changed(*, user, kind: str, address: str = "", detail: str = "") -> None:
    """A credential changed: the notice, and per `kind` the cooling-off and token revocation."""
    with transaction.atomic():
        if kind in REVOKE_TOKENS:
            revoke_all_tokens(user=user)
        if kind in COOLING_OFF:
            start_cooling_off(user)
        send_security_notice(user=user, kind=kind, address=address, detail=detail)


def freeze_account(*, user, ip_address=None) -> bool:
    """"This wasn't me": freeze every outflow of the user's wallets, end every session and
    revoke every API token. Audited. Returns False when it was frozen already (nothing new)."""
    now = timezone.now()
    with transaction.atomic():
        frozen = Wallet.objects.filter(user=user, outflows_frozen_at__isnull=True).update(
            outflows_frozen_at=now
        )
        revoked = revoke_all_tokens(user=user)
        sessions = list(UserSession.objects.filter(user=user))
        for session in sessions:
            session.end()
        AuditEntry.objects.create(
            action="account_frozen",
            outcome=AuditOutcome.DONE,
            target_type="user",
            target_id=str(user.pk),
            target_repr=str(user)[:255],
            customer=user,
            reason="The customer used a “This wasn't me” link: outflows frozen, signed out.",
            detail=f"wallets frozen: {frozen}; sessions ended: {len(sessions)}; "
            f"API tokens revoked: {revoked}",
            ip_address=ip_address,
        )
    return bool(frozen)


def lift_freeze(*, wallet) -> None:
    """Support's side of the recovery (the back office's "lift_freeze" StaffAction, which
    audits it): money may leave the wallet again."""
    Wallet.objects.filter(pk=wallet.pk).update(outflows_frozen_at=None)
    wallet.outflows_frozen_at = None


def is_frozen(user) -> bool:
    return Wallet.objects.filter(user=user, outflows_frozen_at__isnull=False).exists()
