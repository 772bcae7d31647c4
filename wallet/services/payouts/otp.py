"""A transfer waiting for its OTP: finalize it with the code Paystack sent (to the business,
not the customer: see outflows/transfer_otp.py), or ask Paystack to send it again."""

from wallet.exceptions import (
    InvalidOTP,
    PayoutNotAwaitingOTP,
    PaystackAPIError,
    PaystackUnavailable,
)
from wallet.models import Transaction, TransactionStatus
from wallet.services.payouts import gateway
from wallet.services.payouts.transfers import apply_transfer_status

S = TransactionStatus
VIA_OTP = "Paystack's answer to the OTP"  # what moved it, for the status change


def finalize_transfer(
    client, *, transaction: Transaction, otp: str, via: str = VIA_OTP
) -> tuple[Transaction, dict]:
    """Complete a transfer waiting for its OTP. Raises PayoutNotAwaitingOTP, InvalidOTP, or
    PaystackUnavailable (inconclusive: the reconcile job will find out). `via`: who entered
    the OTP, kept with the status change."""
    tx = Transaction.objects.select_related("payout").get(pk=transaction.pk)
    if tx.status != S.OTP or not tx.payout.transfer_code:
        raise PayoutNotAwaitingOTP("This withdrawal is not waiting for an OTP.")
    otp = (otp or "").strip()
    if not (otp.isascii() and otp.isdigit()) or not 4 <= len(otp) <= 8:
        raise InvalidOTP("Enter the OTP you received (digits only).")
    try:
        data = gateway.finalize_transfer(client, transfer_code=tx.payout.transfer_code, otp=otp)
    except PaystackUnavailable:
        raise
    except PaystackAPIError as error:
        raise InvalidOTP(f"That OTP was not accepted: {error}")
    return apply_transfer_status(tx.reference, data.get("status", ""), data, via=via), data


def resend_transfer_otp(client, *, transaction: Transaction) -> dict:
    tx = Transaction.objects.select_related("payout").get(pk=transaction.pk)
    if tx.status != S.OTP or not tx.payout.transfer_code:
        raise PayoutNotAwaitingOTP("This withdrawal is not waiting for an OTP.")
    return gateway.resend_otp(client, transfer_code=tx.payout.transfer_code)
