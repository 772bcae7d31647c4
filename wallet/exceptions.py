"""Wallet errors. Every message is written for the person who will read it."""


class WalletError(Exception):
    """Base class: anything that stopped a wallet operation. Nothing moved."""

    default_message = "The wallet operation could not be completed."

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)


class InsufficientFunds(WalletError):
    default_message = "Insufficient funds: the wallet balance does not cover this amount."


class WalletLocked(WalletError):
    default_message = "This wallet is locked; it cannot send or receive money until unlocked."


class RecipientDeactivated(WalletError):
    default_message = "That account has been closed: it cannot receive money."


class InvalidAmount(WalletError):
    default_message = "Invalid amount."


class TransactionFailed(WalletError):
    default_message = "The transaction failed."


class CurrencyMismatch(WalletError):
    default_message = "The currencies of the wallets or amounts involved do not match."


class DuplicateReference(WalletError):
    default_message = "This reference was already used for a different operation."


class LimitExceeded(WalletError):
    default_message = "This operation exceeds a wallet limit."


class PaystackAPIError(WalletError):
    """Paystack answered with an error (or could not be reached: see PaystackUnavailable)."""

    default_message = "The payment gateway returned an error."
    inconclusive = False

    def __init__(self, message=None, *, http_status=None, code=None, error_type=None):
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.error_type = error_type


class PaystackUnavailable(PaystackAPIError):
    """Timeout, connection error, 5xx or malformed answer: the outcome is unknown."""

    default_message = "The payment gateway could not be reached; the outcome is not known yet."
    inconclusive = True


# --- Funding: card checkout, saved cards, dedicated accounts, webhooks, refunds ---------------
class ChargeNotCredited(TransactionFailed):
    """A charge report was refused: nothing was credited, and the refusal is recorded."""

    default_message = "This payment could not be credited to the wallet."


class UnknownChargeReference(ChargeNotCredited):
    default_message = "No payment with this reference was started from this site."


class ChargeBelongsToAnotherWallet(ChargeNotCredited):
    default_message = "This payment reference does not belong to your wallet."


class ChargeAmountMismatch(ChargeNotCredited):
    default_message = (
        "Paystack reported a different amount or currency than the payment was started with; "
        "it was not credited. Support has been notified."
    )


class ChargeNotSuccessful(ChargeNotCredited):
    default_message = "The payment has not succeeded, so nothing was credited."


class CardChargeFailed(TransactionFailed):
    default_message = "Your card could not be charged."


class CardInactive(WalletError):
    default_message = "This card has been removed from your wallet; add it again by paying with it."


class InvalidCallbackURL(WalletError):
    default_message = "The callback URL must be an http(s) address on this site."


class RefundNotAllowed(WalletError):
    default_message = "This transaction cannot be refunded."


class RefundExceedsCharge(InvalidAmount):
    default_message = "The refund is larger than what is left to refund on this payment."


class DedicatedAccountUnavailable(WalletError):
    default_message = "A dedicated account number could not be created right now; try again later."


# --- Payouts: bank accounts, withdrawals, settlements (issue 6) ---------------------------------
class UnknownBank(WalletError):
    """The bank code is not one Paystack lists."""


class BankListUnavailable(PaystackUnavailable):
    """No bank list yet (a fresh install) and Paystack could not be asked for it just now."""

    default_message = "The list of banks could not be loaded just now; try again in a minute."


class BankAccountUnavailable(WalletError):
    """The account cannot be resolved, is removed, or belongs to another wallet."""


class AccountNameMismatch(WalletError):
    """The client-supplied account name is not the one the bank resolved."""


class DuplicateBankAccount(WalletError):
    """The same bank account is already active in this wallet."""


class InvalidOTP(WalletError):
    """Paystack did not accept the OTP for a transfer."""


class PayoutNotAwaitingOTP(WalletError):
    """finalize / resend OTP on a payout that is not in the `otp` state."""


class InvalidSchedule(WalletError):
    """A settlement schedule's options are missing or inconsistent."""


class SettlementNotRetryable(WalletError):
    """Only a final failed or reversed settlement can be paid again."""


class ActionNotAllowed(WalletError):
    """A back-office action this staff user may not take, or not on this row (HTTP 403)."""

    default_message = "You are not allowed to take this action."


class ApprovalNotPending(WalletError):
    default_message = "This request is no longer awaiting approval."


# --- Safe outflows: transaction PIN, tiers, identification (issue 12) -------------------------
class PinRequired(WalletError):
    """No PIN was given for an outflow (or none is set yet)."""

    default_message = "Enter your 4-digit transaction PIN to confirm."


class PinNotSet(PinRequired):
    default_message = "Set a 4-digit transaction PIN first: it is asked on every payment."


class PinInvalid(WalletError):
    default_message = "That PIN is not right."


class PinLocked(PinInvalid):
    default_message = (
        "Your transaction PIN is locked after too many wrong tries. Try again later, or reset it."
    )


class IdentificationFailed(WalletError):
    default_message = "Your details could not be sent for verification; try again later."


class InvalidReconciliationPeriod(WalletError):
    default_message = "Choose a reconciliation period whose start is before its end."


class MismatchNotResolvable(WalletError):
    """A reconciliation mismatch that is already resolved, or a resolution without a note."""


class ReauthenticationRequired(WalletError):
    """A change of who owns the account or where its money may go, without a fresh proof."""

    default_message = (
        "Confirm it is you first: sign in again with your password (and your authenticator "
        "code, if you use one) on the website, then retry within a few minutes. An API token "
        "alone can never do this."
    )


class OutflowsFrozen(WalletLocked):
    """The owner pressed "This wasn't me": nothing leaves the wallet until support clears it."""

    default_message = (
        "Money cannot leave this wallet: it was frozen from a “This wasn't me” link. "
        "Contact support to check it is you and lift the freeze."
    )


class BankAccountOnHold(WalletError):
    default_message = "This bank account was added too recently to receive money."
