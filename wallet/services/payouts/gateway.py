"""The Paystack calls payouts make, in one place: thin wrappers over `wallet.paystack`.

Each returns Paystack's `data` dict and raises what the client raises (`PaystackAPIError`,
`PaystackUnavailable` when the answer is inconclusive). `verify_transfer` returns None for a
transfer Paystack does not know (404), which the reconcile job treats as "never arrived".
"""

from decimal import Decimal

from wallet.exceptions import BankAccountUnavailable, PaystackAPIError, PaystackUnavailable


def kobo(amount: Decimal) -> int:
    from wallet.paystack import to_subunit

    return to_subunit(amount)


def list_banks(client, *, currency: str = "NGN") -> list[dict]:
    return client.list_banks(currency=currency)


def resolve_account(client, *, account_number: str, bank_code: str) -> dict:
    try:
        data = client.resolve_account(account_number=account_number, bank_code=bank_code)
    except PaystackUnavailable:
        raise
    except PaystackAPIError as error:
        raise BankAccountUnavailable(f"The bank could not verify this account: {error}")
    if not data.get("account_name"):
        raise BankAccountUnavailable("The bank could not verify this account.")
    return data


def create_recipient(client, *, name: str, account_number: str, bank_code: str, currency: str):
    return client.create_transfer_recipient(
        name=name, account_number=account_number, bank_code=bank_code, currency=currency
    )


def initiate_transfer(client, payout) -> dict:
    return client.initiate_transfer(
        amount_kobo=payout.amount_kobo,
        recipient_code=payout.recipient_code,
        reference=payout.reference,
        reason=payout.reason,
    )


def finalize_transfer(client, *, transfer_code: str, otp: str) -> dict:
    return client.finalize_transfer(transfer_code=transfer_code, otp=otp)


def resend_otp(client, *, transfer_code: str) -> dict:
    return client.resend_transfer_otp(transfer_code=transfer_code) or {}


def verify_transfer(client, *, reference: str) -> dict | None:
    try:
        return client.verify_transfer(reference)
    except PaystackUnavailable:
        raise
    except PaystackAPIError as error:
        if error.http_status == 404:
            return None
        raise PaystackUnavailable(str(error))
