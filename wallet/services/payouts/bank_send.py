"""Send to any bank account (issue 24): beneficiaries and the send itself.

The send is a payout like a withdrawal - same reserve, state machine, OTP handling, reconcile
jobs and notices (`transfers.py`) - only its destination is a `Beneficiary`, someone else's
account, instead of the wallet's own `BankAccount`. Paystack is called (resolve, create the
recipient, the transfer) only outside any database transaction.
"""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import BankAccountUnavailable, WalletError
from wallet.models import Bank, Beneficiary, TransactionStatus, TransactionType
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import check_amount, preview_outflow
from wallet.services.payouts import gateway
from wallet.services.payouts.bank_accounts import verify_bank_account
from wallet.services.payouts.destinations import (
    check_beneficiary_belongs_to_wallet,
    first_send_over_cap,
)
from wallet.services.payouts.transfers import (
    PayoutRequest,
    existing_payout_for_reference,
    reserve_payout,
    send_after_commit,
    transfer_data_on_record,
)

NICKNAME_MAX = 60


def resolve_account(client, *, bank_code: str, account_number: str) -> dict:
    """Paystack's name for the account: `{"bank": Bank, "account_number", "account_name"}`.
    Raises BankAccountUnavailable (not 10 digits, cannot be resolved), UnknownBank."""
    resolved = verify_bank_account(client, account_number=account_number, bank_code=bank_code)
    bank = Bank.objects.get(code=(bank_code or "").strip(), active=True)
    number = resolved.get("account_number") or account_number.strip()
    return {"bank": bank, "account_number": number, "account_name": resolved["account_name"]}


def known_beneficiary(wallet, bank_code: str, account_number: str) -> Beneficiary | None:
    """The wallet's beneficiary for this account if it has one (no Paystack call)."""
    return wallet.beneficiaries.filter(
        bank__code=(bank_code or "").strip(), account_number=(account_number or "").strip()
    ).first()


def beneficiary_for_account(client, *, wallet, bank_code: str, account_number: str) -> Beneficiary:
    """The wallet's beneficiary for this account: the one it has, or a new one (resolved and
    registered as a Paystack transfer recipient; listed once a send to it succeeds)."""
    number = (account_number or "").strip()
    code = (bank_code or "").strip()
    existing = wallet.beneficiaries.filter(bank__code=code, account_number=number)
    beneficiary = existing.select_related("bank").first()
    if beneficiary is not None:
        if beneficiary.removed_at is not None:  # sent to again: listed again once it arrives
            beneficiary.removed_at, beneficiary.saved_at = None, None
            beneficiary.save(update_fields=["removed_at", "saved_at", "updated_at"])
        return beneficiary
    resolved = resolve_account(client, bank_code=bank_code, account_number=number)
    bank, name = resolved["bank"], resolved["account_name"].strip()
    recipient = gateway.create_recipient(
        client,
        name=name,
        account_number=resolved["account_number"],
        bank_code=bank.code,
        currency=bank.currency,
    )
    try:
        with db.atomic():
            return Beneficiary.objects.create(
                wallet=wallet,
                bank=bank,
                account_number=resolved["account_number"],
                account_name=name[:200],
                recipient_code=recipient["recipient_code"],
                currency=bank.currency,
            )
    except IntegrityError:  # a twin request made it first
        return existing.select_related("bank").get()


def send_to_bank(
    client,
    *,
    wallet,
    amount,
    beneficiary: Beneficiary | None = None,
    bank_code: str = "",
    account_number: str = "",
    reason: str = "",
    reference: str | None = None,
):
    """Send `amount` to a saved beneficiary or to a bank account given by bank code and number:
    returns `(transaction, transfer_data)`. Money effect as `withdraw_to_bank`: amount + fee
    held at once, then completed, or failed/reversed with the money returned once.
    Raises InvalidAmount, UnknownBank, BankAccountUnavailable, WalletLocked, InsufficientFunds,
    LimitExceeded (tier, safety mode, first send to a new account), DuplicateReference."""
    amount = check_amount(amount)
    known = beneficiary or known_beneficiary(wallet, bank_code, account_number)
    preview_bank_send(wallet, amount, known)  # refusals before Paystack is asked
    if beneficiary is None:
        beneficiary = beneficiary_for_account(
            client, wallet=wallet, bank_code=bank_code, account_number=account_number
        )
    check_beneficiary_belongs_to_wallet(wallet, beneficiary)
    request = PayoutRequest(
        wallet_id=wallet.pk,
        bank_account=None,
        beneficiary=beneficiary,
        amount=amount,
        reason=(reason or "").strip()[:100],
        transaction_type=TransactionType.BANK_SEND,
        reference=reference,
    )
    original = existing_payout_for_reference(reference, request)
    if original is not None:
        return original, transfer_data_on_record(original)
    tx = reserve_payout(request)
    return send_after_commit(client, tx)


def bank_send_fee(amount: Decimal) -> Decimal:
    return compute_fee(transaction_type=TransactionType.WITHDRAWAL, amount=amount).amount


def preview_bank_send(wallet, amount: Decimal, beneficiary: Beneficiary | None) -> None:
    """The refusals a send will meet (balance, tier, safety mode, the first-send cap), checked
    without changing anything: for the review screen, and before Paystack is called."""
    preview_outflow(wallet, amount + bank_send_fee(amount), operation="bank_send", amount=amount)
    cap = settings.WALLET_BANK_SEND_FIRST_CAP
    if cap is not None and amount > cap and first_send_cap_applies(beneficiary):
        raise first_send_over_cap(cap)


def listed_beneficiaries(wallet):
    return (
        wallet.beneficiaries.filter(saved_at__isnull=False, removed_at__isnull=True)
        .select_related("bank")
        .order_by("nickname", "account_name", "pk")
    )


def rename_beneficiary(beneficiary: Beneficiary, *, nickname: str) -> Beneficiary:
    """The customer's own label for a saved account ("" clears it). Moves no money."""
    nickname = " ".join((nickname or "").split())
    if len(nickname) > NICKNAME_MAX:
        raise WalletError(f"A name for an account is at most {NICKNAME_MAX} characters.")
    if not beneficiary.is_listed:
        raise BankAccountUnavailable("This account is not in your list.")
    beneficiary.nickname = nickname
    beneficiary.save(update_fields=["nickname", "updated_at"])
    return beneficiary


def remove_beneficiary(beneficiary: Beneficiary) -> Beneficiary:
    """Take a saved account off the list; sends already made keep it. Moves no money."""
    beneficiary.removed_at = timezone.now()
    beneficiary.save(update_fields=["removed_at", "updated_at"])
    return beneficiary


def first_send_cap_applies(beneficiary: Beneficiary | None) -> bool:
    if beneficiary is None:
        return True
    return not beneficiary.payouts.filter(transaction__status=TransactionStatus.SUCCESS).exists()
