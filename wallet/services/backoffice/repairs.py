"""Repairs staff make without a shell (issue 21), each a StaffAction with maker-checker:

- reconcile any period (from, to);
- book a payment Paystack has and the site lacks, to the right wallet, against Paystack
  clearing (verified with Paystack when it runs, after approval; applied once per reference);
- restore a wallet's stored balance to the sum of its ledger rows (the ledger is the truth;
  both amounts are kept in the audit entry);
- acknowledge a refused webhook event with a note (the reason).

Customer-visible text on the money row is fixed words, never the staff reason.
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError
from django.db import transaction as db
from django.db.models import Sum
from django.utils import timezone

from wallet.dates import DAY_INPUT_FORMATS
from wallet.exceptions import DuplicateReference, InvalidAmount, WalletError
from wallet.models import (
    Channel,
    Direction,
    LedgerEntry,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
    WebhookEvent,
)
from wallet.paystack import from_subunit
from wallet.services.ledger.posting import Leg, lock_wallets, post
from wallet.services.ledger.retry import retry_on_conflict

BOOKED_DESCRIPTION = "Payment received (booked by Paystack Wallet support)"
MAX_PERIOD_DAYS = 31


class RepairRefused(WalletError):
    default_message = "This repair cannot be made."


# --- reconcile any period ----------------------------------------------------------------------


def _day(text: str, label: str) -> dt.date:
    text = str(text or "").strip()
    for pattern in DAY_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidAmount(f"Write the {label} date as DD/MM/YYYY, e.g. 31/12/2026.")


def clean_period(target, raw) -> dict:
    first, last = _day(raw.get("date_from"), "from"), _day(raw.get("date_to"), "to")
    if last < first:
        raise InvalidAmount("The period ends before it starts.")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise InvalidAmount(f"Reconcile at most {MAX_PERIOD_DAYS} days at a time.")
    if last > timezone.localdate():
        raise InvalidAmount("The period cannot end in the future.")
    return {"date_from": first.isoformat(), "date_to": last.isoformat()}


def reconcile_period(target, params, reason, actor):
    """Queue a reconciliation of whole Lagos days `date_from`..`date_to`. Moves no money."""
    from wallet.services.reconciliation import ReconciliationService

    zone = timezone.get_current_timezone()
    first = dt.date.fromisoformat(params["date_from"])
    last = dt.date.fromisoformat(params["date_to"])
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last, dt.time.max, tzinfo=zone)
    run = ReconciliationService().start_run_now(
        period_start=start, period_end=end, started_by=actor
    )
    return (
        f"Reconciliation of {first:%-d %b %Y} to {last:%-d %b %Y} queued (run #{run.pk}); its "
        "mismatches appear under Reconciliation mismatches."
    )


# --- book a payment Paystack has and we lack ---------------------------------------------------


def clean_missing_payment(wallet, raw) -> dict:
    reference = str(raw.get("paystack_reference") or "").strip()
    if not reference or len(reference) > 100 or not reference.isprintable() or " " in reference:
        raise InvalidAmount("Enter the payment's reference exactly as Paystack shows it.")
    if Transaction.objects.filter(reference=reference).exists():
        raise DuplicateReference("The site already has a payment with this reference.")
    return {"paystack_reference": reference}


def book_missing_payment(wallet, params, reason, paystack=None):
    """Ask Paystack for the payment; when it succeeded, in the wallet's currency, for this
    wallet's customer, credit the wallet once against Paystack clearing (its fee to gateway
    fees), as a card deposit would have. Raises RepairRefused, PaystackAPIError."""
    if paystack is None:
        from wallet.services.wallet_service import WalletService

        paystack = WalletService().paystack
    reference = params["paystack_reference"]
    data = paystack.verify_transaction(reference)  # outside any database transaction
    amount, fee = _check_paystack_payment(wallet, reference, data)
    tx = _book(wallet, reference, amount, fee, data)
    return (
        f"Booked {tx.reference}: the wallet is credited ₦{amount:,.2f} against Paystack clearing."
    )


def _check_paystack_payment(wallet, reference, data) -> tuple[Decimal, Decimal]:
    if not isinstance(data, dict) or data.get("status") != "success":
        raise RepairRefused(f"Paystack does not report {reference} as successful: nothing booked.")
    if (data.get("currency") or "NGN") != wallet.currency:
        raise RepairRefused("The payment is in another currency than the wallet: nothing booked.")
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    email = str(customer.get("email") or "").strip().lower()
    if email != wallet.user.email.lower():
        raise RepairRefused(
            "Paystack's customer for this payment is not this wallet's owner: nothing booked. "
            "Book it on the wallet of the customer who paid."
        )
    try:
        amount = from_subunit(int(data.get("amount")))
        fee = from_subunit(int(data.get("fees") or 0))
    except (TypeError, ValueError, ArithmeticError):
        raise RepairRefused("Paystack's answer has no readable amount: nothing booked.")
    if amount <= 0 or not Decimal("0.00") <= fee <= amount:
        raise RepairRefused("Paystack's answer has no readable amount: nothing booked.")
    return amount, fee


@retry_on_conflict
def _book(wallet, reference, amount, fee, data) -> Transaction:
    try:
        with db.atomic():
            locked = lock_wallets([wallet.pk])[wallet.pk]
            tx = Transaction.objects.create(
                wallet=locked, reference=reference, transaction_type=TransactionType.DEPOSIT,
                direction=Direction.CREDIT, status=TransactionStatus.SUCCESS,
                channel=Channel.CARD if data.get("channel") == "card" else Channel.DEDICATED_NUBAN,
                amount=amount, currency=locked.currency, description=BOOKED_DESCRIPTION,
                metadata={"paystack_id": data.get("id"), "booked_by_staff": True},
                completed_at=timezone.now(),
            )  # fmt: skip
            legs = [
                Leg(wallet=locked, amount=amount),
                Leg(account=SystemAccount.PAYSTACK, amount=-(amount - fee)),
                Leg(account=SystemAccount.GATEWAY_FEES, amount=-fee),
            ]
            post(journal=tx, legs=legs)
    except IntegrityError:  # booked by someone else (or the late webhook) in the meantime
        raise DuplicateReference("The site already has a payment with this reference.")
    return tx


# --- restore a wallet's stored balance to its ledger rows --------------------------------------


def ledger_balance(wallet) -> Decimal:
    total = LedgerEntry.objects.filter(wallet_id=wallet.pk).aggregate(t=Sum("amount"))["t"]
    return total or Decimal("0.00")


def balance_difference(wallet, params=None) -> Decimal:
    return abs(Wallet.objects.get(pk=wallet.pk).balance - ledger_balance(wallet))


def balance_differs(wallet) -> bool:
    return wallet.balance != ledger_balance(wallet)


def restore_balance(wallet, params, reason):
    """Set the wallet's stored balance to the sum of its ledger rows, under its lock. No money
    row is written: the ledger already says what the wallet holds."""
    with db.atomic():
        locked = lock_wallets([wallet.pk])[wallet.pk]
        stored, truth = locked.balance, ledger_balance(locked)
        if stored == truth:
            raise RepairRefused("The stored balance already equals the ledger: nothing changed.")
        Wallet.objects.filter(pk=locked.pk).update(balance=truth, updated_at=timezone.now())
    wallet.balance = truth
    return f"Stored balance ₦{stored:,.2f} restored to the ledger's ₦{truth:,.2f}."


# --- acknowledge a refused webhook -------------------------------------------------------------


def acknowledge_webhook(event, params, reason):
    from wallet.services.funding import webhooks

    webhooks.acknowledge(event)
    return "Acknowledged: the event is closed with your note; nothing was applied."


def is_refused(event) -> bool:
    return event.status == WebhookEvent.Status.REFUSED
