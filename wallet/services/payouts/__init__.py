"""Payouts: bank accounts, withdrawals and the transfer state machine (LEDGER.md "Payout").

Modules: `bank_accounts` (banks, accounts, recipients), `transfers` (reserve, send, the state
machine, OTP, verify), `reconcile` (the job), `operations` (the WalletService mixin).

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

from wallet.services.payouts.bank_accounts import (
    add_bank_account,
    deactivate_bank_account,
    set_default_bank_account,
    sync_banks,
    verify_bank_account,
)
from wallet.services.payouts.operations import PayoutOperations, request_payout
from wallet.services.payouts.otp import finalize_transfer, resend_transfer_otp
from wallet.services.payouts.reconcile import (
    payouts_to_reconcile,
    recheck_recent_successes,
    reconcile_open_payouts,
)
from wallet.services.payouts.transfers import (
    ALLOWED_MOVES,
    FINAL_STATES,
    OPEN_STATES,
    PAYOUT_TYPES,
    PAYSTACK_TO_STATE,
    TRANSFER_EVENTS,
    PayoutRequest,
    apply_transfer_event,
    apply_transfer_status,
    check_payout_target,
    existing_payout_for_reference,
    inside_callers_transaction,
    reconcile_payout,
    reserve_payout,
    send_after_commit,
    send_payout,
)

__all__ = [
    "ALLOWED_MOVES",
    "FINAL_STATES",
    "OPEN_STATES",
    "PAYOUT_TYPES",
    "PAYSTACK_TO_STATE",
    "TRANSFER_EVENTS",
    "PayoutOperations",
    "PayoutRequest",
    "add_bank_account",
    "apply_transfer_event",
    "apply_transfer_status",
    "check_payout_target",
    "deactivate_bank_account",
    "existing_payout_for_reference",
    "finalize_transfer",
    "inside_callers_transaction",
    "payouts_to_reconcile",
    "recheck_recent_successes",
    "reconcile_open_payouts",
    "reconcile_payout",
    "request_payout",
    "resend_transfer_otp",
    "reserve_payout",
    "send_after_commit",
    "send_payout",
    "set_default_bank_account",
    "sync_banks",
    "verify_bank_account",
]
