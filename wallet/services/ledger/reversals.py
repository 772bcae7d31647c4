"""Reversing an internal transaction through the ledger: the original rows, negated."""

from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import TransactionFailed
from wallet.models import Channel, Direction, Transaction, TransactionStatus, TransactionType
from wallet.services.ledger.posting import Leg, lock_wallets, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.ledger.status_log import record_status_change


def journal_of(record: Transaction) -> Transaction:
    """The Transaction that holds the ledger rows of the operation `record` belongs to."""
    if (
        record.direction == Direction.CREDIT
        and record.related_transaction_id
        and record.transaction_type == TransactionType.TRANSFER
    ):
        return record.related_transaction
    return record


@retry_on_conflict
def reverse_internal(record: Transaction, reason: str = "", *, via: str = "") -> Transaction:
    """Undo a successful internal transaction: every wallet gets back exactly what moved.

    Returns the reversal Transaction of the wallet that originally paid (or the only wallet).
    Raises TransactionFailed when it is not reversible, already reversed or itself a reversal,
    InsufficientFunds when a receiving wallet has already spent the money. `via`: who asked
    (kept with each original's status change).
    """
    # A reversal's rows hang off the payer's reversal row only: reversing the other row found
    # no rows (IndexError), reversing the payer's moved money back under a "reversed" original.
    if record.transaction_type == TransactionType.REVERSAL:
        raise TransactionFailed(
            f"{record.reference} is itself a reversal and cannot be reversed; "
            "make a new transfer or an adjustment instead."
        )
    journal = journal_of(record)
    if journal.channel != Channel.INTERNAL:
        raise TransactionFailed("Only internal wallet transactions can be reversed this way.")
    with db.atomic():
        journal = Transaction.objects.select_for_update().get(pk=journal.pk)
        if journal.status != TransactionStatus.SUCCESS:
            raise TransactionFailed(
                f"Transaction {journal.reference} is {journal.get_status_display().lower()}; "
                "only successful transactions can be reversed."
            )
        rows = list(journal.ledger_entries.all())
        if not any(row.wallet_id for row in rows):
            raise TransactionFailed(f"Transaction {journal.reference} moved no wallet money.")
        wallets = lock_wallets([row.wallet_id for row in rows if row.wallet_id])
        originals = _originals_by_wallet(journal)
        reversals = _reversal_records(journal, rows, wallets, originals, reason)
        post(
            journal=reversals[0],
            legs=[
                Leg(
                    wallet=wallets.get(row.wallet_id),
                    account=row.system_account,
                    amount=-row.amount,
                )
                for row in rows
            ],
        )
        Transaction.objects.filter(pk__in=[o.pk for o in originals.values()]).update(
            status=TransactionStatus.REVERSED
        )
        cause = f"{via or 'reversed'} (reversal {reversals[0].reference})"
        for original in originals.values():
            record_status_change(original, original.status, TransactionStatus.REVERSED, cause)
    return reversals[0]


def reversal_description(journal) -> str:
    """The customer-facing words of a reversal row (never the staff reason)."""
    return f"{journal.get_transaction_type_display()} reversed"


def _originals_by_wallet(journal):
    records = [journal, *journal.related.filter(transaction_type=journal.transaction_type)]
    return {r.wallet_id: r for r in records}


def _reversal_records(journal, rows, wallets, originals, reason):
    """One REVERSAL Transaction per wallet touched, payer first (it becomes the journal)."""
    now = timezone.now()
    records = []
    wallet_rows = sorted((r for r in rows if r.wallet_id), key=lambda r: r.amount)
    for index, row in enumerate(wallet_rows):
        original = originals.get(row.wallet_id, journal)
        records.append(
            Transaction.objects.create(
                wallet=wallets[row.wallet_id],
                reference=f"{journal.reference}-rev" + (f"-{index}" if index else ""),
                transaction_type=TransactionType.REVERSAL,
                direction=Direction.CREDIT if row.amount < 0 else Direction.DEBIT,
                status=TransactionStatus.SUCCESS,
                channel=Channel.INTERNAL,
                amount=abs(row.amount),
                currency=journal.currency,
                # What the customer reads: fixed words; the staff reason stays in metadata.
                description=reversal_description(journal),
                metadata={"reason": reason} if reason else {},
                counterparty_wallet=original.counterparty_wallet,
                related_transaction=original,
                completed_at=now,
            )
        )
    return records
