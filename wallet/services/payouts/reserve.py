"""Reserving a payout: the wallet is debited amount + fee into payouts in flight and the
PENDING Transaction and Payout are created, in one transaction with the wallet locked (the
first of the three steps in the package docstring; sending and the state machine are in
`transfers.py`)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction as db

from wallet.exceptions import BankAccountUnavailable, DuplicateReference, InsufficientFunds
from wallet.models import (
    BankAccount,
    Beneficiary,
    Channel,
    Direction,
    Payout,
    SystemAccount,
    Transaction,
    TransactionStatus,
)
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import charge_outflow, check_payout_account
from wallet.services.ledger.posting import Leg, ensure_unlocked, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.notifications import events as notification_events
from wallet.services.payouts import gateway
from wallet.services.payouts.destinations import (
    check_account_belongs_to_wallet,
    check_destination,
    check_first_send_cap,
    describe_destination,
    fee_operation,
)

S = TransactionStatus


@dataclass(frozen=True)
class PayoutRequest:
    """`bank_account` (the wallet's own), or `beneficiary` for a send to bank (issue 24)."""

    wallet_id: int
    bank_account: BankAccount | None
    amount: Decimal
    reason: str
    transaction_type: str
    reference: str | None = None
    beneficiary: Beneficiary | None = None

    @property
    def destination(self):
        return self.beneficiary if self.beneficiary is not None else self.bank_account


def check_payout_target(wallet, bank_account: BankAccount) -> None:
    if not bank_account.is_active:
        raise BankAccountUnavailable("This bank account is not available for this wallet.")
    check_account_belongs_to_wallet(wallet, bank_account)


@retry_on_conflict
def reserve_payout(request: PayoutRequest) -> Transaction:
    """Debit amount + fee into payouts in flight and create the PENDING Transaction + Payout.

    Raises WalletLocked, BankAccountUnavailable / CurrencyMismatch (not the wallet's own
    account), InsufficientFunds, LimitExceeded, DuplicateReference; then nothing moved.
    Composes inside a caller's atomic block (the schedule processor uses that).
    """
    # Payout fees are always borne by the wallet, on top of what reaches the bank.
    operation = fee_operation(request.transaction_type)
    fee = compute_fee(transaction_type=operation, amount=request.amount).amount
    with db.atomic():
        wallet = lock_wallets([request.wallet_id])[request.wallet_id]
        ensure_unlocked(wallet)
        # Checked again where the money moves: a row edited behind the forms must not pay out.
        check_destination(wallet, request)
        # Cooling-off (issue 20): an account or beneficiary added just after a credential
        # change receives nothing until its hold ends.
        check_payout_account(wallet, request.bank_account or request.beneficiary)
        if wallet.balance < request.amount + fee:
            raise InsufficientFunds(
                f"Insufficient funds: ₦{request.amount + fee:,.2f} needed (including a "
                f"₦{fee:,.2f} fee), ₦{wallet.balance:,.2f} available."
            )
        total, kind = request.amount + fee, request.transaction_type
        charge_outflow(wallet, total, operation=kind, amount=request.amount)
        if request.beneficiary is not None:
            check_first_send_cap(request.beneficiary, request.amount)
        tx = _create_payout_transaction(wallet, request, fee)
        legs = [Leg(wallet=wallet, amount=-(request.amount + fee))]
        legs.append(Leg(account=SystemAccount.PAYOUTS_IN_FLIGHT, amount=request.amount))
        if fee:
            legs.append(Leg(account=SystemAccount.FEE_REVENUE, amount=fee))
        post(journal=tx, legs=legs)
        Payout.objects.create(
            transaction=tx,
            bank_account=request.bank_account,
            beneficiary=request.beneficiary,
            reference=tx.reference,
            recipient_code=request.destination.recipient_code,
            amount_kobo=gateway.kobo(request.amount),
            reason=request.reason[:200],
        )
        notification_events.low_balance_check(tx)  # the money left now, under the lock
    return tx


def _create_payout_transaction(wallet, request: PayoutRequest, fee: Decimal) -> Transaction:
    account = request.destination
    prefix, description, id_key = describe_destination(request)
    return Transaction.objects.create(
        wallet=wallet,
        reference=request.reference or new_reference(prefix),
        transaction_type=request.transaction_type,
        direction=Direction.DEBIT,
        status=S.PENDING,
        amount=request.amount,
        fee=fee,
        currency=wallet.currency,
        channel=Channel.BANK,
        description=request.reason or description,
        metadata={
            id_key: account.pk,
            "bank_name": account.bank.name,
            "account_number_last4": account.account_number[-4:],
            "account_name": account.account_name,
        },
    )


def existing_payout_for_reference(reference: str | None, request: PayoutRequest):
    """The original Transaction when `reference` was used before with the same parameters."""
    if not reference:
        return None
    tx = Transaction.objects.filter(reference=reference).select_related("payout").first()
    if tx is None:
        return None
    same = (
        tx.wallet_id == request.wallet_id
        and tx.transaction_type == request.transaction_type
        and tx.amount == request.amount
        and hasattr(tx, "payout")
        and tx.payout.bank_account_id == getattr(request.bank_account, "pk", None)
        and tx.payout.beneficiary_id == getattr(request.beneficiary, "pk", None)
    )
    if not same:
        raise DuplicateReference(f"The reference {reference} was already used for another payment.")
    return tx
