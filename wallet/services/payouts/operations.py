"""`PayoutOperations`: the payouts family of `WalletService` (a thin facade over this package)."""

from wallet.models import (
    BankAccount,
    Transaction,
    TransactionType,
)
from wallet.services.ledger.limits import check_amount
from wallet.services.payouts.bank_accounts import (
    add_bank_account,
    deactivate_bank_account,
    ensure_bank_list,
    set_default_bank_account,
    sync_banks,
    verify_bank_account,
)
from wallet.services.payouts.otp import VIA_OTP, finalize_transfer, resend_transfer_otp
from wallet.services.payouts.reconcile import recheck_recent_successes, reconcile_open_payouts
from wallet.services.payouts.transfers import (
    VIA_RECONCILE,
    PayoutRequest,
    check_payout_target,
    existing_payout_for_reference,
    reconcile_payout,
    reserve_payout,
    send_after_commit,
    send_payout,
    transfer_data_on_record,
)

# --- the WalletService mixin --------------------------------------------------------------------


class PayoutOperations:
    """Bank accounts and withdrawals: `verify_bank_account`, `add_bank_account`,
    `withdraw_to_bank`, `finalize_transfer`, `resend_transfer_otp`, `reconcile_payout`, and
    the jobs that the tasks and the back office run (`send_payout`, `reconcile_open_payouts`,
    `recheck_recent_payouts`, `sync_banks`): they act through this service, which owns the
    Paystack client."""

    def verify_bank_account(self, account_number, bank_code) -> dict:
        return verify_bank_account(
            self.paystack, account_number=account_number, bank_code=bank_code
        )

    def add_bank_account(self, wallet, bank_code, account_number, account_name=None) -> BankAccount:
        return add_bank_account(
            self.paystack,
            wallet=wallet,
            bank_code=bank_code,
            account_number=account_number,
            account_name=account_name,
        )

    def deactivate_bank_account(self, bank_account) -> BankAccount:
        return deactivate_bank_account(bank_account)

    def set_default_bank_account(self, bank_account) -> BankAccount:
        return set_default_bank_account(bank_account)

    def withdraw_to_bank(self, wallet, amount, bank_account, reason="", reference=None):
        """Send `amount` to `bank_account`: returns `(transaction, transfer_data)`.

        The wallet is debited amount + fee at once (held in payouts in flight). The transaction
        ends `success`, waits in `otp` for `finalize_transfer`, stays `pending`/`processing`
        until Paystack answers, or ends `failed`/`reversed` with the money returned once.
        Raises InvalidAmount, BankAccountUnavailable, CurrencyMismatch, WalletLocked,
        InsufficientFunds, LimitExceeded, DuplicateReference (nothing moved).
        """
        return request_payout(
            self.paystack,
            wallet=wallet,
            bank_account=bank_account,
            amount=amount,
            reason=reason,
            transaction_type=TransactionType.WITHDRAWAL,
            reference=reference,
        )

    def send_to_bank(
        self,
        wallet,
        amount,
        beneficiary=None,
        bank_code="",
        account_number="",
        reason="",
        reference=None,
    ):
        """Send `amount` to someone else's bank account (issue 24): a saved `beneficiary`, or
        `bank_code` + `account_number` (resolved and registered first). The same money effect,
        states and refusals as `withdraw_to_bank`, plus the cap on a first send to a new
        account (LimitExceeded) and UnknownBank."""
        from wallet.services.payouts.bank_send import send_to_bank

        return send_to_bank(
            self.paystack,
            wallet=wallet,
            amount=amount,
            beneficiary=beneficiary,
            bank_code=bank_code,
            account_number=account_number,
            reason=reason,
            reference=reference,
        )

    def resolve_bank_account(self, bank_code, account_number) -> dict:
        """Paystack's name for an account: {"bank", "account_number", "account_name"}."""
        from wallet.services.payouts.bank_send import resolve_account

        return resolve_account(self.paystack, bank_code=bank_code, account_number=account_number)

    def finalize_transfer(
        self, transaction, otp, *, via: str = VIA_OTP
    ) -> tuple[Transaction, dict]:
        return finalize_transfer(self.paystack, transaction=transaction, otp=otp, via=via)

    def resend_transfer_otp(self, transaction) -> dict:
        return resend_transfer_otp(self.paystack, transaction=transaction)

    def reconcile_payout(
        self, payout, *, strict: bool = False, via: str = VIA_RECONCILE
    ) -> tuple[Transaction, dict]:
        """Verify with Paystack and move ours to match; `strict` raises PaystackUnavailable
        when Paystack does not answer (a person asked and must not be told a guess). `via`:
        who asked (kept with any status change; the reconcile check by default)."""
        return reconcile_payout(self.paystack, payout, strict=strict, via=via)

    def send_payout(self, payout) -> tuple[Transaction, dict]:
        """Send a reserved payout to Paystack (the task that runs after its commit)."""
        return send_payout(self.paystack, payout)

    def reconcile_open_payouts(self) -> int:
        """Ask Paystack about payouts still open after a minute; returns how many moved."""
        return reconcile_open_payouts(self.paystack)

    def recheck_recent_payouts(self) -> int:
        """Recheck recent successes for a reversal whose webhook was lost."""
        return recheck_recent_successes(self.paystack)

    def sync_banks(self, currency="NGN") -> int:
        """Refresh the bank list from Paystack; returns how many banks it holds."""
        return sync_banks(self.paystack, currency=currency)

    def ensure_bank_list(self, currency="NGN") -> bool:
        """Sync the bank list now if it is empty (a fresh install); whether any bank is listed."""
        return ensure_bank_list(self.paystack, currency=currency)


def request_payout(
    client, *, wallet, bank_account, amount, reason, transaction_type, reference=None
):
    amount = check_amount(amount)
    check_payout_target(wallet, bank_account)
    request = PayoutRequest(
        wallet_id=wallet.pk,
        bank_account=bank_account,
        amount=amount,
        reason=(reason or "").strip(),
        transaction_type=transaction_type,
        reference=reference,
    )
    original = existing_payout_for_reference(reference, request)
    if original is not None:
        return original, transfer_data_on_record(original)
    tx = reserve_payout(request)
    return send_after_commit(client, tx)
