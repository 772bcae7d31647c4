"""Support's e-mail actions: send a customer's address-verification e-mail again, and the
e-mail about a payout's outcome. They move no money and change no access."""

from allauth.account.models import EmailAddress
from allauth.core import context
from django.contrib.auth import get_user_model

from wallet.exceptions import ActionNotAllowed
from wallet.models import Payout
from wallet.services.backoffice.staff_action import StaffAction
from wallet.services.payouts.notifications import TEMPLATES, send_payout_notification


def _unverified_address(user):
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).first()


def _may_get_verification(user) -> bool:
    return user.is_active and not user.is_staff and _unverified_address(user) is not None


def _resend_verification(user, params, reason):
    address = _unverified_address(user)
    if address is None:
        raise ActionNotAllowed(f"{user.email} is already verified: nothing was sent.")
    if context.request is None:  # allauth builds the link from the page's request
        raise ActionNotAllowed("Resend the verification e-mail from the back office.")
    address.send_confirmation(context.request, signup=False)
    return f"A new verification link went to {address.email}."


def _has_payout_email(payout) -> bool:
    tx = payout.transaction
    return (tx.transaction_type, tx.status) in TEMPLATES


def _resend_payout_email(payout, params, reason):
    tx = payout.transaction
    if not send_payout_notification(tx.pk, tx.status):
        raise ActionNotAllowed("This payout has no outcome to tell the customer about yet.")
    return f"The e-mail about this {tx.get_status_display().lower()} payout went to the customer."


EMAIL_ACTIONS = [
    StaffAction(
        "resend_verification_email", "Resend verification e-mail", "resend_email",
        get_user_model(), _resend_verification, applies=_may_get_verification,
        describe="Send the customer a new link to verify their e-mail address (the old links "
        "keep working until they expire). Moves no money.",
    ),
    StaffAction(
        "resend_payout_email", "Resend payout e-mail", "resend_email", Payout,
        _resend_payout_email, applies=_has_payout_email,
        describe="Send the customer the e-mail about this payout's outcome again. Moves no "
        "money.",
    ),
]  # fmt: skip
