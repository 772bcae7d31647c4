"""Payouts: bank accounts, withdrawals and the transfer state machine (LEDGER.md "Payout").

Money moves in three steps and Paystack is never called inside a database transaction:
1. reserve: one transaction debits the wallet (amount + fee) into `payouts_in_flight`, creates
   the PENDING Transaction and its Payout with a unique transfer reference; commit;
2. send: call Paystack's transfer endpoint with that reference;
3. record: every answer (the response, `finalize_transfer`, a `transfer.*` webhook, the
   reconcile job's verify) goes through `apply_transfer_status`, which locks the Transaction,
   moves it only forward and posts the matching journal rows exactly once.
An inconclusive answer (timeout, 5xx, dropped connection) changes nothing: the reconcile job
asks Paystack later and re-sends with the *same* reference while the transfer is not final.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from wallet.exceptions import (
    AccountNameMismatch,
    BankAccountUnavailable,
    CurrencyMismatch,
    DuplicateBankAccount,
    DuplicateReference,
    InsufficientFunds,
    InvalidOTP,
    PayoutNotAwaitingOTP,
    PaystackAPIError,
    PaystackUnavailable,
    UnknownBank,
)
from wallet.models import (
    Bank,
    BankAccount,
    Channel,
    Direction,
    Payout,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.services import payout_gateway as gateway
from wallet.services.fees import compute_fee
from wallet.services.ledger import Leg, ensure_unlocked, lock_wallets, new_reference, post
from wallet.services.limits import charge_outflow, check_amount
from wallet.services.retry import retry_on_conflict

logger = logging.getLogger(__name__)

S = TransactionStatus
OPEN_STATES = (S.PENDING, S.PROCESSING, S.OTP)
FINAL_STATES = (S.SUCCESS, S.FAILED, S.REVERSED)

# Paystack's transfer statuses (PAYSTACK_API.md section 6) mapped onto our payout states.
PAYSTACK_TO_STATE = {
    "pending": S.PROCESSING,
    "received": S.PROCESSING,
    "queued": S.PROCESSING,
    "processing": S.PROCESSING,
    "otp": S.OTP,
    "success": S.SUCCESS,
    "failed": S.FAILED,
    "abandoned": S.FAILED,
    "blocked": S.FAILED,
    "rejected": S.FAILED,
    "reversed": S.REVERSED,
}

# Which moves the state machine allows; anything else (a late or duplicated answer) is ignored.
ALLOWED_MOVES = {
    S.PENDING: {S.PROCESSING, S.OTP, S.SUCCESS, S.FAILED, S.REVERSED},
    S.PROCESSING: {S.OTP, S.SUCCESS, S.FAILED, S.REVERSED},
    S.OTP: {S.PROCESSING, S.SUCCESS, S.FAILED, S.REVERSED},
    S.SUCCESS: {S.REVERSED},
    S.FAILED: set(),
    S.REVERSED: set(),
}

TRANSFER_EVENTS = {
    "transfer.success": "success",
    "transfer.failed": "failed",
    "transfer.reversed": "reversed",
}

PAYOUT_TYPES = (TransactionType.WITHDRAWAL, TransactionType.SETTLEMENT)


@dataclass(frozen=True)
class PayoutRequest:
    wallet_id: int
    bank_account: BankAccount
    amount: Decimal
    reason: str
    transaction_type: str
    reference: str | None = None


# --- banks --------------------------------------------------------------------------------------


def sync_banks(client, *, currency: str = "NGN") -> int:
    """Upsert Paystack's bank list into Bank (one statement); banks it no longer lists become
    inactive. Returns how many banks Paystack listed."""
    now = timezone.now()
    banks = {}
    for item in gateway.list_banks(client, currency=currency):
        if item.get("code") and not item.get("is_deleted"):
            banks[item["code"]] = Bank(
                code=item["code"],
                name=(item.get("name") or "")[:120],
                slug=(item.get("slug") or "")[:120],
                longcode=item.get("longcode") or "",
                type=item.get("type") or "nuban",
                currency=item.get("currency") or currency,
                country=item.get("country") or "",
                active=bool(item.get("active", True)),
                synced_at=now,
            )
    fields = ["name", "slug", "longcode", "type", "currency", "country", "active", "synced_at"]
    with db.atomic():
        Bank.objects.bulk_create(
            banks.values(), update_conflicts=True, unique_fields=["code"], update_fields=fields
        )
        Bank.objects.filter(currency=currency).exclude(code__in=banks).update(active=False)
    return len(banks)


# --- bank accounts ------------------------------------------------------------------------------


def verify_bank_account(client, *, account_number: str, bank_code: str) -> dict:
    """Paystack's resolution of an account: `{"account_number", "account_name", ...}`."""
    account_number = (account_number or "").strip()
    bank_code = (bank_code or "").strip()
    if not account_number.isdigit() or len(account_number) != 10:
        raise BankAccountUnavailable("An account number is 10 digits.")
    if not Bank.objects.filter(code=bank_code, active=True).exists():
        raise UnknownBank("Choose a bank from the list.")
    return gateway.resolve_account(client, account_number=account_number, bank_code=bank_code)


def add_bank_account(
    client, *, wallet, bank_code: str, account_number: str, account_name: str | None = None
) -> BankAccount:
    """Resolve the account, register it as a transfer recipient and attach it to the wallet.

    Raises UnknownBank, BankAccountUnavailable (cannot be resolved), AccountNameMismatch (the
    given name is not the bank's), DuplicateBankAccount, PaystackAPIError. Moves no money.
    """
    resolved = verify_bank_account(client, account_number=account_number, bank_code=bank_code)
    resolved_name = resolved["account_name"].strip()
    if account_name and _normalise_name(account_name) != _normalise_name(resolved_name):
        raise AccountNameMismatch(
            f"The bank says this account belongs to {resolved_name}, not {account_name.strip()}."
        )
    bank = Bank.objects.get(code=bank_code.strip())
    number = resolved.get("account_number") or account_number.strip()
    existing = wallet.bank_accounts.filter(bank=bank, account_number=number).first()
    if existing is not None and existing.is_active:
        raise DuplicateBankAccount("This bank account is already in your wallet.")
    recipient = gateway.create_recipient(
        client,
        name=resolved_name,
        account_number=number,
        bank_code=bank.code,
        currency=bank.currency,
    )
    return _save_bank_account(
        wallet, bank, number, resolved_name, recipient["recipient_code"], existing
    )


def _save_bank_account(wallet, bank, number, name, recipient_code, existing) -> BankAccount:
    with db.atomic():
        is_first = not wallet.bank_accounts.filter(is_active=True).exists()
        if existing is not None:
            existing.account_name, existing.recipient_code = name, recipient_code
            existing.is_active, existing.is_default = True, is_first
            existing.save()
            return existing
        return BankAccount.objects.create(
            wallet=wallet,
            bank=bank,
            account_number=number,
            account_name=name,
            recipient_code=recipient_code,
            currency=bank.currency,
            is_default=is_first,
        )


def deactivate_bank_account(bank_account: BankAccount) -> BankAccount:
    """Hide the account from new withdrawals; payouts already sent keep their recipient."""
    with db.atomic():
        bank_account.is_active = False
        bank_account.is_default = False
        bank_account.save(update_fields=["is_active", "is_default", "updated_at"])
        bank_account.settlement_schedules.filter(is_active=True).update(is_active=False)
    return bank_account


def set_default_bank_account(bank_account: BankAccount) -> BankAccount:
    if not bank_account.is_active:
        raise BankAccountUnavailable("This bank account has been removed.")
    with db.atomic():
        BankAccount.objects.filter(wallet_id=bank_account.wallet_id, is_default=True).exclude(
            pk=bank_account.pk
        ).update(is_default=False)
        bank_account.is_default = True
        bank_account.save(update_fields=["is_default", "updated_at"])
    return bank_account


def _normalise_name(name: str) -> str:
    return " ".join(name.upper().replace(",", " ").split())


# --- reserve ------------------------------------------------------------------------------------


def check_payout_target(wallet, bank_account: BankAccount) -> None:
    if bank_account.wallet_id != wallet.pk or not bank_account.is_active:
        raise BankAccountUnavailable("This bank account is not available for this wallet.")
    if bank_account.currency != wallet.currency:
        raise CurrencyMismatch(
            f"This bank account is in {bank_account.currency}; the wallet is in {wallet.currency}."
        )


@retry_on_conflict
def reserve_payout(request: PayoutRequest) -> Transaction:
    """Debit amount + fee into payouts in flight and create the PENDING Transaction + Payout.

    Raises WalletLocked, InsufficientFunds, LimitExceeded, DuplicateReference; then nothing
    moved. Composes inside a caller's atomic block (the schedule processor uses that).
    """
    # Payout fees are always borne by the wallet, on top of what reaches the bank.
    fee = compute_fee(transaction_type=request.transaction_type, amount=request.amount).amount
    with db.atomic():
        wallet = lock_wallets([request.wallet_id])[request.wallet_id]
        ensure_unlocked(wallet)
        if wallet.balance < request.amount + fee:
            raise InsufficientFunds(
                f"Insufficient funds: {request.amount + fee} needed (including a {fee} fee), "
                f"{wallet.balance} available."
            )
        charge_outflow(wallet, request.amount + fee)
        tx = _create_payout_transaction(wallet, request, fee)
        legs = [Leg(wallet=wallet, amount=-(request.amount + fee))]
        legs.append(Leg(account=SystemAccount.PAYOUTS_IN_FLIGHT, amount=request.amount))
        if fee:
            legs.append(Leg(account=SystemAccount.FEE_REVENUE, amount=fee))
        post(journal=tx, legs=legs)
        Payout.objects.create(
            transaction=tx,
            bank_account=request.bank_account,
            reference=tx.reference,
            recipient_code=request.bank_account.recipient_code,
            amount_kobo=gateway.kobo(request.amount),
            reason=request.reason[:200],
        )
    return tx


def _create_payout_transaction(wallet, request: PayoutRequest, fee: Decimal) -> Transaction:
    account = request.bank_account
    prefix = "stl" if request.transaction_type == TransactionType.SETTLEMENT else "wdr"
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
        description=request.reason or f"Withdrawal to {account.bank.name} {account.masked_number}",
        metadata={
            "bank_account_id": account.pk,
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
        and tx.payout.bank_account_id == request.bank_account.pk
    )
    if not same:
        raise DuplicateReference(f"The reference {reference} was already used for another payment.")
    return tx


# --- send ---------------------------------------------------------------------------------------


def send_after_commit(client, tx: Transaction) -> tuple[Transaction, dict]:
    """Send now when no transaction is open; inside one, hand the send to the worker on commit."""
    if inside_callers_transaction():
        tx_id = tx.pk
        db.on_commit(lambda: _enqueue("wallet.tasks.payouts.send_payout", tx_id))
        return tx, _local_transfer_data(tx)
    return send_payout(client, tx.payout)


def inside_callers_transaction() -> bool:
    """True inside a caller's atomic block, where Paystack must not be called yet.

    The outer blocks a test case opens around each test (Django marks them `_from_testcase`,
    the same check `atomic(durable=True)` makes) do not count: there the request would commit.
    """
    blocks = db.get_connection().atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def send_payout(client, payout: Payout) -> tuple[Transaction, dict]:
    """Ask Paystack to make the transfer (same reference every time) and record the answer.

    Never raises for Paystack trouble: an inconclusive answer leaves the payout pending for the
    reconcile job, a definite refusal fails it and returns the money.
    """
    Payout.objects.filter(pk=payout.pk).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    try:
        data = gateway.initiate_transfer(client, payout)
    except PaystackUnavailable as error:
        _record_error(payout, error)
        tx = Transaction.objects.get(pk=payout.transaction_id)
        return tx, _local_transfer_data(tx)
    except PaystackAPIError as error:
        # Refused: maybe a re-send of a reference Paystack already has. Only its verify knows.
        _record_error(payout, error)
        return reconcile_payout(client, payout, refused=error)
    return apply_transfer_status(payout.reference, data.get("status", ""), data), data


def _record_error(payout: Payout, error: Exception) -> None:
    logger.warning("transfer %s: %s", payout.reference, error)
    Payout.objects.filter(pk=payout.pk).update(
        last_error=str(error)[:500], updated_at=timezone.now()
    )


def _local_transfer_data(tx: Transaction) -> dict:
    payout = Payout.objects.get(transaction_id=tx.pk)
    return {
        "reference": payout.reference,
        "status": tx.status,
        "transfer_code": payout.transfer_code or None,
        "amount": payout.amount_kobo,
    }


def _enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


# --- record: the state machine ------------------------------------------------------------------


def apply_transfer_status(reference: str, paystack_status: str, data: dict | None = None):
    """Move the payout with `reference` to the state Paystack reports, once and only forward.

    Returns the Transaction (unchanged when the move is not allowed: a duplicate, a late or an
    out-of-order answer), or None when the reference is not one of our payouts.
    """
    target = PAYSTACK_TO_STATE.get((paystack_status or "").lower())
    if target is None:
        logger.warning("transfer %s: unknown Paystack status %r", reference, paystack_status)
        return Transaction.objects.filter(reference=reference, payout__isnull=False).first()
    return _move(reference, target, data or {})


@retry_on_conflict
def _move(reference: str, target: str, data: dict):
    with db.atomic():
        # Only payouts: an internal withdraw() shares the transaction type but has no Payout.
        tx = (
            Transaction.objects.select_for_update(of=("self",))
            .filter(reference=reference, transaction_type__in=PAYOUT_TYPES, payout__isnull=False)
            .first()
        )
        if tx is None:
            return None
        payout = Payout.objects.select_for_update().get(transaction=tx)
        _remember_paystack_answer(payout, data)
        if target == tx.status or target not in ALLOWED_MOVES.get(tx.status, ()):
            return tx
        previous = tx.status
        _post_outcome(tx, previous, target)
        tx.status = target
        update = ["status"]
        if target in FINAL_STATES:
            tx.completed_at = timezone.now()
            update.append("completed_at")
        if target in (S.FAILED, S.REVERSED):
            tx.failure_reason = _failure_reason(data, target)[:255]
            update.append("failure_reason")
        tx.save(update_fields=update)
        if target in FINAL_STATES:
            tx_id = tx.pk
            db.on_commit(lambda: _enqueue("wallet.tasks.payouts.notify_payout", tx_id, target))
        return tx


def _remember_paystack_answer(payout: Payout, data: dict) -> None:
    changed = []
    if data.get("transfer_code") and data["transfer_code"] != payout.transfer_code:
        payout.transfer_code = data["transfer_code"]
        changed.append("transfer_code")
    if data.get("status") and data["status"] != payout.paystack_status:
        payout.paystack_status = str(data["status"])[:20]
        changed.append("paystack_status")
    if changed:
        payout.save(update_fields=[*changed, "updated_at"])


def _failure_reason(data: dict, target: str) -> str:
    reason = data.get("gateway_response") or data.get("failures") or data.get("message") or ""
    if not reason or not isinstance(reason, str):
        reason = (
            "The bank reversed the transfer." if target == S.REVERSED else "The transfer failed."
        )
    return reason


def _post_outcome(tx: Transaction, previous: str, target: str) -> None:
    """The journal rows for one move (LEDGER.md postings); the wallet is locked after the tx."""
    amount, fee = tx.amount, tx.fee
    if target in (S.PROCESSING, S.OTP):
        return
    if target == S.SUCCESS:
        legs = [
            Leg(account=SystemAccount.PAYOUTS_IN_FLIGHT, amount=-amount),
            Leg(account=SystemAccount.PAYSTACK, amount=amount),
        ]
    else:
        wallet = lock_wallets([tx.wallet_id])[tx.wallet_id]
        # After success the money had left for Paystack; a reversal brings it back from there.
        source = (
            SystemAccount.PAYSTACK if previous == S.SUCCESS else SystemAccount.PAYOUTS_IN_FLIGHT
        )
        legs = [Leg(account=source, amount=-amount), Leg(wallet=wallet, amount=amount + fee)]
        if fee:
            legs.append(Leg(account=SystemAccount.FEE_REVENUE, amount=-fee))
    post(journal=tx, legs=legs)


def apply_transfer_event(event_name: str, data: dict):
    """Apply a `transfer.success|failed|reversed` webhook (data = the event's `data`).

    Idempotent: duplicates and out-of-order events find the state already moved (or final) and
    change nothing. Returns the Transaction, or None for a reference that is not ours.
    """
    status = TRANSFER_EVENTS.get(event_name)
    reference = (data or {}).get("reference")
    if status is None or not reference:
        logger.info("ignoring transfer event %s for %r", event_name, reference)
        return None
    return apply_transfer_status(reference, status, data)


# --- OTP ----------------------------------------------------------------------------------------


def finalize_transfer(client, *, transaction: Transaction, otp: str) -> tuple[Transaction, dict]:
    """Complete a transfer waiting for its OTP. Raises PayoutNotAwaitingOTP, InvalidOTP, or
    PaystackUnavailable (inconclusive: the reconcile job will find out)."""
    tx = Transaction.objects.select_related("payout").get(pk=transaction.pk)
    if tx.status != S.OTP or not tx.payout.transfer_code:
        raise PayoutNotAwaitingOTP("This withdrawal is not waiting for an OTP.")
    otp = (otp or "").strip()
    if not otp.isdigit() or not 4 <= len(otp) <= 8:
        raise InvalidOTP("Enter the OTP you received (digits only).")
    try:
        data = gateway.finalize_transfer(client, transfer_code=tx.payout.transfer_code, otp=otp)
    except PaystackUnavailable:
        raise
    except PaystackAPIError as error:
        raise InvalidOTP(f"That OTP was not accepted: {error}")
    return apply_transfer_status(tx.reference, data.get("status", ""), data), data


def resend_transfer_otp(client, *, transaction: Transaction) -> dict:
    tx = Transaction.objects.select_related("payout").get(pk=transaction.pk)
    if tx.status != S.OTP or not tx.payout.transfer_code:
        raise PayoutNotAwaitingOTP("This withdrawal is not waiting for an OTP.")
    return gateway.resend_otp(client, transfer_code=tx.payout.transfer_code)


# --- reconcile ----------------------------------------------------------------------------------


def reconcile_payout(client, payout: Payout, refused: PaystackAPIError | None = None):
    """Ask Paystack where this transfer stands and move ours to match.

    Unknown to Paystack: re-send with the same reference while ours is still pending (never
    after a definite refusal, which fails it and returns the money). Returns (tx, data).
    """
    Payout.objects.filter(pk=payout.pk).update(last_checked_at=timezone.now())
    try:
        data = gateway.verify_transfer(client, reference=payout.reference)
    except PaystackUnavailable as error:
        _record_error(payout, error)
        tx = Transaction.objects.get(pk=payout.transaction_id)
        return tx, _local_transfer_data(tx)
    if data is None:
        return _handle_unknown_transfer(client, payout, refused)
    tx = apply_transfer_status(payout.reference, data.get("status", ""), data)
    return tx, data


def _handle_unknown_transfer(client, payout: Payout, refused: PaystackAPIError | None):
    tx = Transaction.objects.get(pk=payout.transaction_id)
    if refused is not None:
        reason = str(refused) or "Paystack refused the transfer."
        tx = apply_transfer_status(payout.reference, "failed", {"message": reason})
        return tx, _local_transfer_data(tx)
    if tx.status == S.PENDING:
        return send_payout(client, Payout.objects.get(pk=payout.pk))
    # We had an answer before (processing / otp) but Paystack no longer knows it: leave it
    # held and visible to staff rather than guess.
    _record_error(payout, PaystackAPIError("Transfer not found at Paystack"))
    return tx, _local_transfer_data(tx)


def payouts_to_reconcile(older_than: timedelta):
    cutoff = timezone.now() - older_than
    return (
        Payout.objects.filter(transaction__status__in=OPEN_STATES, updated_at__lte=cutoff)
        .select_related("transaction")
        .order_by("updated_at")
    )


def reconcile_open_payouts(
    client, *, older_than: timedelta = timedelta(minutes=1), limit=200
) -> int:
    """Verify every open payout untouched for `older_than`; returns how many were checked."""
    checked = 0
    for payout in payouts_to_reconcile(older_than)[:limit]:
        try:
            reconcile_payout(client, payout)
        except Exception:  # one bad payout must not stop the others; it stays listed for staff
            logger.exception("reconcile of %s failed", payout.reference)
        checked += 1
    return checked


# --- the WalletService mixin --------------------------------------------------------------------


class PayoutOperations:
    """Bank accounts and withdrawals: `verify_bank_account`, `add_bank_account`,
    `withdraw_to_bank`, `finalize_transfer`, `resend_transfer_otp`, `reconcile_payout`."""

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

    def finalize_transfer(self, transaction, otp) -> tuple[Transaction, dict]:
        return finalize_transfer(self.paystack, transaction=transaction, otp=otp)

    def resend_transfer_otp(self, transaction) -> dict:
        return resend_transfer_otp(self.paystack, transaction=transaction)

    def reconcile_payout(self, payout) -> tuple[Transaction, dict]:
        return reconcile_payout(self.paystack, payout)


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
        return original, _local_transfer_data(original)
    tx = reserve_payout(request)
    return send_after_commit(client, tx)
