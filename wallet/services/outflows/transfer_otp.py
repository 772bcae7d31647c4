"""Paystack's transfer OTP, which Paystack sends to the business's phone, never the customer's.

The site's choice (docs/payouts.md): turn it off on the integration (`disable` then `finalize`
with the OTP Paystack texts to the business, from `manage.py paystack_transfer_otp`). While it
is on, payouts that wait for an OTP sit in the back office's queue, where Finance enters it
(`enter_transfer_otp_for_staff`); the customer only sees "Processing — waiting for approval".
"""

import logging

from django.core.exceptions import PermissionDenied

from wallet.exceptions import WalletError
from wallet.models import Transaction, TransactionStatus
from wallet.services.payouts.otp import finalize_transfer, resend_transfer_otp

logger = logging.getLogger(__name__)


def start_disabling_otp(client) -> str:
    """Ask Paystack to turn transfer OTP off; it texts an OTP to the business. Its message."""
    return client.disable_transfer_otp().get("message", "")


def finish_disabling_otp(client, *, otp: str) -> str:
    """Confirm with the OTP Paystack sent: transfers need no OTP from now on."""
    otp = (otp or "").strip()
    if not otp.isdigit():
        raise WalletError("Enter the digits of the OTP Paystack sent to the business phone.")
    return client.finalize_disable_transfer_otp(otp=otp).get("message", "")


def enable_otp(client) -> str:
    return client.enable_transfer_otp().get("message", "")


def payouts_waiting_for_otp():
    """The back-office queue: payouts parked until Finance enters Paystack's OTP."""
    return (
        Transaction.objects.filter(status=TransactionStatus.OTP, payout__isnull=False)
        .select_related("wallet__user", "payout__bank_account__bank", "payout__beneficiary__bank")
        .order_by("created_at")
    )


def enter_transfer_otp_for_staff(client, *, transaction, otp: str, by):
    """Finance releases a parked payout with the OTP Paystack sent to the business.
    Raises PermissionDenied without the permission, PayoutNotAwaitingOTP, InvalidOTP,
    PaystackUnavailable (inconclusive: the reconcile job finds out). Returns (tx, data).
    The audit entry of the staff action is the back office's (issue 11)."""
    if not by.has_perm("wallet.change_payout"):
        raise PermissionDenied("You may not release payouts.")
    logger.info("staff %s entered the transfer OTP of %s", by.pk, transaction.reference)
    return finalize_transfer(client, transaction=transaction, otp=otp, via="staff: entered the OTP")


def resend_transfer_otp_for_staff(client, *, transaction, by) -> dict:
    if not by.has_perm("wallet.change_payout"):
        raise PermissionDenied("You may not release payouts.")
    return resend_transfer_otp(client, transaction=transaction)
