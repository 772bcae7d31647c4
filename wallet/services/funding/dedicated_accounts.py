"""Dedicated virtual accounts: a customer's own account number, and the bank transfers that
arrive on it (credited once per Paystack reference through the charge credit path)."""

from decimal import Decimal

from wallet.exceptions import (
    ChargeBelongsToAnotherWallet,
    ChargeNotCredited,
    ChargeNotSuccessful,
    UnknownChargeReference,
)
from wallet.models import (
    Channel,
    ChargeAnomaly,
    DedicatedAccount,
    Direction,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.services.funding.charges import credit_charge, record_anomaly, reported_amount


def credit_dedicated_transfer(data, *, via=""):
    """See FundingOperations.credit_dedicated_account_transfer (`via`: kept with the
    status change)."""
    data = data or {}
    account = dedicated_account_for(data)
    if account is None:
        reference = str(data.get("reference") or "")
        record_anomaly(ChargeAnomaly.Kind.UNKNOWN_REFERENCE, reference, _dva_text(data))
        raise UnknownChargeReference(
            "The bank transfer was sent to an account number that belongs to no wallet."
        )
    if data.get("status") != "success":
        raise ChargeNotSuccessful()
    tx = _bank_transfer_deposit(account.wallet, data)
    return credit_charge(tx.pk, data, via=via)


def dedicated_account_for(data):
    customer = data.get("customer") or {}
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    number = metadata.get("receiver_account_number") or (data.get("authorization") or {}).get(
        "receiver_bank_account_number"
    )
    accounts = DedicatedAccount.objects.select_related("wallet")
    if number:
        found = accounts.filter(account_number=str(number)).first()
        if found:
            return found
    code = customer.get("customer_code")
    return accounts.filter(customer_code=code).first() if code else None


def _bank_transfer_deposit(wallet, data):
    """The deposit row for a transfer received on a dedicated account (get or create)."""
    amount = reported_amount(data)
    if amount is None or amount <= 0:
        raise ChargeNotCredited("The bank transfer reported no valid amount.")
    sender = (data.get("authorization") or {}).get("sender_name") or "bank transfer"
    tx, _ = Transaction.objects.get_or_create(
        reference=str(data["reference"]),
        defaults={
            "wallet": wallet,
            "transaction_type": TransactionType.DEPOSIT,
            "direction": Direction.CREDIT,
            "status": TransactionStatus.PENDING,
            "amount": amount,
            "fee": Decimal("0.00"),
            "currency": wallet.currency,
            "channel": Channel.DEDICATED_NUBAN,
            "description": f"Bank transfer from {sender}"[:255],
            "metadata": {"source": "dedicated_account", "sender_name": sender[:100]},
        },
    )
    if tx.wallet_id != wallet.pk:
        raise ChargeBelongsToAnotherWallet()
    if (tx.transaction_type, tx.channel) != (TransactionType.DEPOSIT, Channel.DEDICATED_NUBAN):
        # The reference is Paystack's, but a row of ours may carry it: only a bank-transfer
        # deposit may be settled here, never a withdrawal or a card charge (finding 7).
        detail = f"A bank transfer reported reference {tx.reference} of a {tx.transaction_type}."
        record_anomaly(ChargeAnomaly.Kind.UNKNOWN_REFERENCE, tx.reference, detail, tx)
        raise UnknownChargeReference("That reference is not a bank transfer into this wallet.")
    return tx


def _dva_text(data):
    customer = (data.get("customer") or {}).get("customer_code")
    return f"Transfer {data.get('reference')} for customer {customer or '?'}"


def save_dedicated_account(wallet, customer_code, data):
    bank = data.get("bank") or {}
    account, _ = DedicatedAccount.objects.get_or_create(
        wallet=wallet,
        defaults={
            "customer_code": customer_code,
            "paystack_id": data.get("id"),
            "account_number": str(data["account_number"]),
            "account_name": data.get("account_name") or "",
            "bank_name": bank.get("name") or "",
            "bank_slug": bank.get("slug") or "",
            "is_active": bool(data.get("active", True)),
        },
    )
    return account
