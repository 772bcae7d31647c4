"""Where a payout may go, checked with the wallet row locked in the transaction that moves the
money: a withdrawal or settlement only to the wallet's own bank account, a send to bank only to
a beneficiary of that very wallet, and a first send to a new account no more than a setting."""

from decimal import Decimal

from django.conf import settings

from wallet.exceptions import BankAccountUnavailable, CurrencyMismatch, LimitExceeded
from wallet.models import TransactionStatus, TransactionType

PREFIXES = {TransactionType.SETTLEMENT: "stl", TransactionType.BANK_SEND: "bks"}
OPEN_OR_DONE = (
    TransactionStatus.PENDING,
    TransactionStatus.PROCESSING,
    TransactionStatus.OTP,
    TransactionStatus.SUCCESS,
)


def check_account_belongs_to_wallet(wallet, bank_account) -> None:
    """Money leaves a wallet only for that wallet's own bank account, in its currency."""
    if bank_account.wallet_id != wallet.pk:
        raise BankAccountUnavailable("This bank account is not available for this wallet.")
    if bank_account.currency != wallet.currency:
        raise CurrencyMismatch(
            f"This bank account is in {bank_account.currency}; the wallet is in {wallet.currency}."
        )


def check_beneficiary_belongs_to_wallet(wallet, beneficiary) -> None:
    if beneficiary.wallet_id != wallet.pk:
        raise BankAccountUnavailable("This bank account is not available for this wallet.")
    if beneficiary.currency != wallet.currency:
        raise CurrencyMismatch(
            f"This bank account is in {beneficiary.currency}; the wallet is in {wallet.currency}."
        )


def check_destination(wallet, request) -> None:
    """The wallet's own account, or a beneficiary of this very wallet; never both or neither."""
    if (request.bank_account is None) == (request.beneficiary is None):
        raise BankAccountUnavailable("Choose one bank account to pay.")
    if request.beneficiary is not None:
        check_beneficiary_belongs_to_wallet(wallet, request.beneficiary)
    else:
        check_account_belongs_to_wallet(wallet, request.bank_account)


def check_first_send_cap(beneficiary, amount: Decimal) -> None:
    """Until one send to this account has arrived, what is on its way to it (this one included)
    stays within WALLET_BANK_SEND_FIRST_CAP. Call with the wallet locked: the beneficiary is
    the wallet's, so two first sends at once are counted one after the other."""
    cap = settings.WALLET_BANK_SEND_FIRST_CAP
    if (
        cap is None
        or beneficiary.payouts.filter(transaction__status=TransactionStatus.SUCCESS).exists()
    ):
        return
    sent = sum(
        (
            p.transaction.amount
            for p in beneficiary.payouts.filter(
                transaction__status__in=OPEN_OR_DONE
            ).select_related("transaction")
        ),
        Decimal("0.00"),
    )
    if sent + amount > cap:
        raise first_send_over_cap(cap)


def first_send_over_cap(cap: Decimal) -> LimitExceeded:
    return LimitExceeded(
        f"The first payment to a new account can be at most ₦{cap:,.2f}. Send up to that "
        "now; once it arrives, larger payments to this account are allowed."
    )


def fee_operation(transaction_type: str) -> str:
    """Which fee rules price a payout: a send to someone else's bank is priced as a withdrawal."""
    if transaction_type == TransactionType.BANK_SEND:
        return TransactionType.WITHDRAWAL
    return transaction_type


def describe_destination(request) -> tuple[str, str, str]:
    """(reference prefix, default description, metadata key of the destination's id)."""
    account = request.destination
    prefix = PREFIXES.get(request.transaction_type, "wdr")
    if request.beneficiary is not None:
        return prefix, f"To {account.label}", "beneficiary_id"
    return prefix, f"Withdrawal to {account.bank.name} {account.masked_number}", "bank_account_id"
