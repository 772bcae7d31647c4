"""What each money event tells the customer (called inside the transaction that moved the
money, so the notification commits with it and its e-mail leaves after: see service.notify).

Every amount is written ₦1,234.56; names are the ones customers already see (a transfer's
counterparty by full name, as on the receipt). Staff words never reach these texts."""

from decimal import Decimal

from accounts.identity import full_name
from wallet.models import NotificationKind as Kind
from wallet.models import Transaction, TransactionStatus, Wallet
from wallet.services.notifications.service import (
    Notice,
    notify,
    settings_for,
    settings_of,
    settings_read_with,
    tell,
)

CURRENCY_SYMBOLS = {"NGN": "₦"}


def naira(amount, currency: str = "NGN") -> str:
    """₦1,234.56: grouped, two places, exact (Decimal)."""
    value = Decimal(amount)
    sign = "−" if value < 0 else ""
    return f"{sign}{CURRENCY_SYMBOLS.get(currency, currency + ' ')}{abs(value):,.2f}"


def _receipt(tx: Transaction) -> str:
    return f"/wallet/transactions/{tx.pk}/"


def tell_transfer(sent_id: int) -> None:
    """Money out to the sender (to whom, how much, the fee) and money in to the recipient
    (from whom, how much), in one insert; then the sender's low-balance alert, if crossed.
    Once per transfer whatever the retries (the notifications are unique per event)."""
    sent = Transaction.objects.get(pk=sent_id)
    received = (
        Transaction.objects.select_related("wallet__user", "counterparty_wallet__user")
        .filter(related_transaction_id=sent.pk)
        .first()
    )
    if received is None:  # not a transfer between two wallets of ours
        return
    sender, recipient = received.counterparty_wallet.user, received.wallet.user
    preferences = settings_of([sender, recipient])  # one read for both, and for the alert
    fee = f" The fee was {naira(sent.fee)}." if sent.fee else " No fee."
    told_sender = Notice(
        user=sender,
        kind=Kind.MONEY_OUT,
        event_key=f"money_out:{sent.reference}",
        title=f"You sent {naira(sent.amount)} to {full_name(recipient)}",
        body=f"You sent {naira(sent.amount)} to {full_name(recipient)}.{fee} "
        f"Reference {sent.reference}.",
        link=_receipt(sent),
        transaction=sent,
    )
    told_recipient = Notice(
        user=recipient,
        kind=Kind.MONEY_IN,
        event_key=f"money_in:{sent.reference}",
        title=f"{full_name(sender)} sent you {naira(received.amount)}",
        body=f"{full_name(sender)} sent you {naira(received.amount)}. "
        f"It is in your wallet now. Reference {sent.reference}.",
        link=_receipt(received),
        transaction=received,
    )
    tell([told_sender, told_recipient], preferences)
    low_balance_check(sent, preferences[sender.pk], user=sender)


def card_or_bank_credit(tx: Transaction) -> None:
    """Money in from a card payment or a bank transfer to the customer's account number."""
    user = tx.wallet.user
    if tx.channel == "dedicated_nuban":
        sender = (tx.metadata or {}).get("sender_name") or "a bank transfer"
        title = f"{naira(tx.amount)} received from {sender}"
        body = f"{sender} sent {naira(tx.amount)} to your account number. It is in your wallet now."
    elif (tx.metadata or {}).get("pay_link"):
        payer = (tx.metadata or {}).get("payer_name") or "Someone"
        title = f"{payer} paid you {naira(tx.amount)} by your payment link"
        body = f"{title}. It is in your wallet now."
    else:
        title = f"{naira(tx.amount)} added by card"
        body = f"Your card payment of {naira(tx.amount)} is in your wallet now."
    notify(
        user=user,
        kind=Kind.MONEY_IN,
        event_key=f"money_in:{tx.reference}",
        title=title,
        body=f"{body} Reference {tx.reference}.",
        link=_receipt(tx),
        transaction=tx,
        preferences=settings_read_with(user),
    )


PAYOUT_TEMPLATES = {
    ("withdrawal", True): "withdrawal_completed",
    ("withdrawal", False): "withdrawal_failed",
    ("settlement", True): "settlement_paid",
    ("settlement", False): "settlement_failed",
    ("bank_send", True): "bank_send_completed",
    ("bank_send", False): "bank_send_failed",
}
PAYOUT_WORDS = {"withdrawal": "withdrawal", "settlement": "auto-withdraw", "bank_send": "payment"}


PAYOUT_LINKS = {"withdrawal": "/wallet/withdraw/{pk}/", "bank_send": "/wallet/send/bank/{pk}/"}


def _payout_to(tx: Transaction) -> str:
    """ "your bank", or for a send to someone else's account whose it is (the name the bank
    resolved, which the customer saw before sending)."""
    payout = getattr(tx, "payout", None)
    if tx.transaction_type != "bank_send" or payout is None or payout.destination is None:
        return "your bank"
    return payout.destination.account_name


def payout_finished(tx: Transaction) -> None:
    """A withdrawal or auto-withdraw reached its end: paid, or not completed (money back)."""
    paid = tx.status == TransactionStatus.SUCCESS
    what = PAYOUT_WORDS.get(tx.transaction_type, "withdrawal")
    to = _payout_to(tx)
    if paid:
        title = f"Your {what} of {naira(tx.amount)} has been paid"
        body = f"{title} to {to}. The fee was {naira(tx.fee)}."
    else:
        title = f"Your {what} of {naira(tx.amount)} was not completed"
        body = f"{title}. {naira(tx.amount + tx.fee)} is back in your wallet."
    notify(
        user=tx.wallet.user,
        kind=Kind.PAYOUT,
        event_key=f"payout:{tx.reference}:{tx.status}",
        title=title,
        body=f"{body} Reference {tx.reference}.",
        link=PAYOUT_LINKS.get(tx.transaction_type, "/wallet/transactions/{pk}/").format(pk=tx.pk),
        transaction=tx,
        email_template=PAYOUT_TEMPLATES[(tx.transaction_type, paid)],
    )


def refund_finished(refund) -> None:
    """A refund of a card payment went back to the card (or failed: the money is back here)."""
    tx = refund.transaction
    done = refund.status == "processed"
    title = (
        f"Refund of {naira(refund.amount)} sent back to your card"
        if done
        else f"Refund of {naira(refund.amount)} not completed: the money is back in your wallet"
    )
    notify(
        user=tx.wallet.user,
        kind=Kind.REFUND,
        event_key=f"refund:{refund.pk}:{refund.status}",
        title=title,
        body=f"{title}. Reference {tx.reference}.",
        link=_receipt(tx),
        transaction=tx,
    )


def hold_placed(*, user, amount, reason_for_customer: str, event_key: str, transaction=None):
    """Money held (e.g. a disputed payment): the customer-facing reason, never staff notes."""
    notify(
        user=user,
        kind=Kind.HOLD,
        event_key=f"hold:{event_key}",
        title=f"{naira(amount)} of your money is on hold",
        body=f"{naira(amount)} of your money is on hold: {reason_for_customer}",
        transaction=transaction,
    )


def security_notice(
    *, user, title: str, body: str, event_key: str, emailed_separately: bool = False
) -> None:
    """A security event (new sign-in, PIN locked, password changed...): always e-mailed, by
    this notification or (`emailed_separately`) by the notice the caller sends itself to the
    address on record before the change, with its "This wasn't me" link."""
    notify(
        user=user,
        kind=Kind.SECURITY,
        event_key=f"security:{event_key}",
        title=title,
        body=body,
        email=not emailed_separately,
    )


def low_balance_check(tx: Transaction, preferences=None, user=None) -> None:
    """Right after `tx` took money from the wallet (a transfer sent, a payout reserved): tell
    the owner when this took the balance below the amount they chose (once per crossing)."""
    user = user or tx.wallet.user
    threshold = (preferences or settings_for(user)).low_balance_below
    if threshold is None:
        return  # most customers: no read at all beyond their settings
    balance = Wallet.objects.values_list("balance", flat=True).get(pk=tx.wallet_id)
    if balance >= threshold or balance + tx.amount + tx.fee < threshold:
        return  # still above, or already below (told when it first crossed)
    notify(
        user=user,
        kind=Kind.LOW_BALANCE,
        event_key=f"low_balance:{tx.reference}",
        title=f"Your balance is {naira(balance)}, below {naira(threshold)}",
        body=f"After {tx.reference}, your balance is {naira(balance)}: below the "
        f"{naira(threshold)} you asked us to watch for.",
        link="/wallet/",
    )
