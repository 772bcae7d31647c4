"""A manual credit or debit of a wallet against a named system account (after approval)."""

from decimal import Decimal

from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import InvalidAmount
from wallet.models import (
    Channel,
    Direction,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
)
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.posting import Leg, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict

# The accounts a correction may be booked against. Clearing and in-flight accounts are
# excluded: they must keep matching Paystack, which a hand-made row would break.
ADJUSTMENT_ACCOUNTS = (
    SystemAccount.PLATFORM,
    SystemAccount.FEE_REVENUE,
    SystemAccount.GATEWAY_FEES,
)


# What the customer reads on an adjustment (receipt, history, CSV, API, e-mail): fixed words.
# The staff reason and the checker's note stay in metadata and the audit log.
ADJUSTMENT_DESCRIPTIONS = {
    Direction.CREDIT: "Correction from Paystack Wallet",
    Direction.DEBIT: "Correction by Paystack Wallet",
}


def clean_adjustment(*, direction: str, amount, account: str) -> dict:
    """The adjustment's parameters, checked; raises InvalidAmount on anything else."""
    if direction not in (Direction.CREDIT, Direction.DEBIT):
        raise InvalidAmount("Choose whether to credit or debit the wallet.")
    if account not in ADJUSTMENT_ACCOUNTS:
        raise InvalidAmount("Choose the system account the adjustment is booked against.")
    return {"direction": direction, "amount": str(check_amount(amount)), "account": account}


@retry_on_conflict
def adjust_wallet(*, wallet: Wallet, direction: str, amount, account: str, reason: str):
    """Credit (or debit) `wallet` by `amount`, the other leg on system `account`.

    Money effect: wallet +-amount, account -+amount, as one journal. Raises InvalidAmount,
    InsufficientFunds (a debit beyond the balance; nothing is written).
    """
    params = clean_adjustment(direction=direction, amount=amount, account=account)
    amount = Decimal(params["amount"])
    signed = amount if direction == Direction.CREDIT else -amount
    with db.atomic():
        locked = lock_wallets([wallet.pk])[wallet.pk]
        tx = Transaction.objects.create(
            wallet=locked,
            reference=new_reference("adj"),
            transaction_type=TransactionType.ADJUSTMENT,
            direction=direction,
            status=TransactionStatus.SUCCESS,
            channel=Channel.INTERNAL,
            amount=amount,
            currency=locked.currency,
            description=ADJUSTMENT_DESCRIPTIONS[direction],
            metadata={"reason": reason, "account": account},
            completed_at=timezone.now(),
        )
        post(
            journal=tx,
            legs=[Leg(wallet=locked, amount=signed), Leg(account=account, amount=-signed)],
        )
    return tx
