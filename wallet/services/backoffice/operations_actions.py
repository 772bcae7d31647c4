"""The operations staff actions (issue 21): repairs with maker-checker, and staff notes on a
customer. Registered in the catalogue; each runs through actions.perform like every other."""

from django.contrib.auth import get_user_model

from wallet.exceptions import InvalidAmount
from wallet.models import CustomerNote, Wallet, WebhookEvent
from wallet.services.backoffice import repairs
from wallet.services.backoffice.staff_action import ALWAYS, StaffAction

NOTE_MAX = 4000


def _clean_note(customer, raw) -> dict:
    text = str(raw.get("note") or "").strip()
    if not text or not all(c.isprintable() or c in "\n\r\t" for c in text):
        raise InvalidAmount("Write the note (plain text).")
    if len(text) > NOTE_MAX:
        raise InvalidAmount(f"A note holds at most {NOTE_MAX} characters.")
    return {"note": text}


def _add_note(customer, params, reason, actor):
    CustomerNote.objects.create(customer=customer, author=actor, text=params["note"])
    return "Note added to the customer's page (staff only)."


OPERATIONS_ACTIONS = [
    StaffAction(
        "reconcile_period", "Reconcile a period", "run_reconciliation", None,
        repairs.reconcile_period, clean=repairs.clean_period, wants_actor=True,
        inputs=("date_from", "date_to"), approval=ALWAYS,
        describe="Compare Paystack's charges, transfers and refunds of these Lagos days with "
        "ours; each difference is recorded as a mismatch. Moves no money.",
    ),
    StaffAction(
        "book_missing_payment", "Book a payment Paystack has", "adjust_balance", Wallet,
        repairs.book_missing_payment, clean=repairs.clean_missing_payment,
        inputs=("paystack_reference",), approval=ALWAYS, moves_money=True,
        describe="A payment Paystack received that the site never recorded: once approved, it "
        "is verified with Paystack and credited to this wallet against Paystack clearing, once.",
    ),
    StaffAction(
        "restore_balance", "Restore balance to the ledger", "adjust_balance", Wallet,
        repairs.restore_balance, applies=repairs.balance_differs,
        amount=repairs.balance_difference, approval=ALWAYS, moves_money=True,
        describe="The wallet's stored balance differs from the sum of its ledger rows: set it "
        "to the ledger's sum (the ledger is the truth). Both amounts are kept in the audit log.",
    ),
    StaffAction(
        "acknowledge_webhook", "Acknowledge refused webhook", "reprocess_webhook", WebhookEvent,
        repairs.acknowledge_webhook, applies=repairs.is_refused, approval=ALWAYS,
        describe="Close this refused event with a note (your reason): nothing is applied, and "
        "it leaves the dashboard's count.",
    ),
    StaffAction(
        "add_customer_note", "Add a staff note", "add_customernote", get_user_model(),
        _add_note, clean=_clean_note, inputs=("note",), wants_actor=True,
        applies=lambda user: not user.is_staff,
        describe="A note on this customer for staff (append-only; never shown to the customer).",
    ),
]  # fmt: skip
