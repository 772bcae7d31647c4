"""Moving money between wallets and the platform: transfers and internal deposit/withdraw."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import CurrencyMismatch, InsufficientFunds, RecipientDeactivated, WalletError
from wallet.models import (
    Channel,
    Direction,
    FeeOperation,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
    TransferNotice,
    Wallet,
)
from wallet.services.ledger import transfer_sql
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.idempotency import replay_or_run
from wallet.services.ledger.limits import admit_inflow, charge_outflow, check_amount, tiers_of
from wallet.services.ledger.posting import Leg, ensure_unlocked, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.notifications.transfer_notices import transfer_noticed


class CoreOperations:
    """Wallet lookup and the money movements that never leave the platform."""

    def get_wallet(self, user, currency=None) -> Wallet:
        """The user's wallet in `currency` (default WALLET_CURRENCY), created when missing."""
        wallet, _ = Wallet.objects.get_or_create(
            user=user, currency=currency or settings.WALLET_CURRENCY
        )
        return wallet

    def get_balance(self, wallet: Wallet) -> Decimal:
        """The wallet's current balance, read fresh from the database."""
        wallet.balance = Wallet.objects.values_list("balance", flat=True).get(pk=wallet.pk)
        return wallet.balance

    def deposit(self, wallet, amount, description="", reference=None, metadata=None) -> Transaction:
        """Credit the wallet from the platform account (escrow release, staff adjustment...).

        Composes inside a caller's `transaction.atomic()`. Raises InvalidAmount, WalletLocked,
        DuplicateReference.
        """
        return _internal(wallet, amount, Direction.CREDIT, description, reference, metadata)

    def withdraw(
        self, wallet, amount, description="", reference=None, metadata=None
    ) -> Transaction:
        """Debit the wallet to the platform account (paying for an order, escrow hold...).

        Composes inside a caller's `transaction.atomic()`. Raises InvalidAmount,
        InsufficientFunds, WalletLocked, LimitExceeded, DuplicateReference.
        """
        return _internal(wallet, amount, Direction.DEBIT, description, reference, metadata)

    def transfer(
        self,
        source_wallet,
        destination_wallet,
        amount,
        description="",
        reference=None,
        metadata=None,
    ) -> Transaction:
        """Move `amount` from one user's wallet to another's; returns the sender's Transaction.

        The sender pays any transfer fee on top (FeeRule). Raises InvalidAmount,
        InsufficientFunds, WalletLocked, CurrencyMismatch, LimitExceeded, DuplicateReference,
        WalletError (to one's own wallet).
        """
        amount = check_amount(amount)
        if source_wallet.pk == destination_wallet.pk:
            raise WalletError("You cannot send money to your own wallet.")
        if source_wallet.currency != destination_wallet.currency:
            raise CurrencyMismatch("Both wallets must hold the same currency.")
        generated = not reference
        reference = reference or new_reference("trf")
        expected = _expected(source_wallet, TransactionType.TRANSFER, Direction.DEBIT, amount)
        expected["counterparty_wallet_id"] = destination_wallet.pk
        sent = replay_or_run(
            reference,
            expected,
            lambda: _transfer(
                source_wallet, destination_wallet, amount, reference, description, metadata
            ),
            generated=generated,
        )
        # The transfer wrote its notice to the outbox; told by the worker (or now, in sync mode).
        transfer_noticed()
        return sent


def _internal(wallet, amount, direction, description, reference, metadata):
    amount = check_amount(amount)
    debit = direction == Direction.DEBIT
    generated = not reference
    reference = reference or new_reference("pay" if debit else "dep")
    transaction_type = TransactionType.WITHDRAWAL if debit else TransactionType.DEPOSIT
    return replay_or_run(
        reference,
        _expected(wallet, transaction_type, direction, amount),
        lambda: _post_internal(wallet, amount, direction, reference, description, metadata),
        generated=generated,
    )


def _expected(wallet, transaction_type, direction, amount):
    return {
        "wallet_id": wallet.pk,
        "transaction_type": transaction_type,
        "direction": direction,
        "amount": amount,
    }


@retry_on_conflict
def _post_internal(wallet, amount, direction, reference, description, metadata):
    """Credit (platform -> wallet) or debit (wallet -> platform) one wallet."""
    debit = direction == Direction.DEBIT
    with db.atomic():
        locked = lock_wallets([wallet.pk])[wallet.pk]
        ensure_unlocked(locked)
        fee = Decimal("0.00")
        if debit:
            fee = compute_fee(transaction_type=FeeOperation.PAYMENT, amount=amount).paid_by_sender
            if locked.balance < amount + fee:
                raise InsufficientFunds()
            charge_outflow(locked, amount + fee, operation="payment", amount=amount)
        record = Transaction.objects.create(
            wallet=locked,
            reference=reference,
            transaction_type=TransactionType.WITHDRAWAL if debit else TransactionType.DEPOSIT,
            direction=direction,
            status=TransactionStatus.SUCCESS,
            channel=Channel.INTERNAL,
            amount=amount,
            fee=fee,
            currency=locked.currency,
            description=description or "",
            metadata=metadata or {},
            completed_at=timezone.now(),
        )
        wallet_change = -(amount + fee) if debit else amount
        post(
            journal=record,
            legs=[
                Leg(wallet=locked, amount=wallet_change),
                Leg(account=SystemAccount.PLATFORM, amount=-wallet_change - fee),
                Leg(account=SystemAccount.FEE_REVENUE, amount=fee),
            ],
        )
    wallet.balance = locked.balance
    return record


@retry_on_conflict
def _transfer(source_wallet, destination_wallet, amount, reference, description, metadata):
    in_database = transfer_sql.runs_in_database()
    if not in_database:  # wallet_transfer() checks the recipient itself (migration 0022)
        ensure_recipient_active(destination_wallet)
    fee = compute_fee(transaction_type=FeeOperation.TRANSFER, amount=amount)
    if amount - fee.paid_by_recipient <= 0:
        raise WalletError("The amount does not cover the transfer fee.")
    if in_database:
        return transfer_sql.transfer_in_database(
            source_wallet, destination_wallet, amount, fee, reference, description, metadata
        )
    return _transfer_orm(
        source_wallet, destination_wallet, amount, fee, reference, description, metadata
    )


def ensure_recipient_active(wallet: Wallet) -> None:
    """Refuse money for a deactivated user's wallet (finding 9), on both transfer paths: the
    account is closed, and money sent there could only be got back by staff."""
    owner = get_user_model().objects.filter(pk=wallet.user_id)
    if not owner.filter(is_active=True).exists():
        raise RecipientDeactivated()


def _transfer_orm(source_wallet, destination_wallet, amount, fee, reference, description, metadata):
    """The portable transfer (SQLite, or WALLET_TRANSFER_IN_DATABASE off); the SQL function in
    migration 0013 does exactly these steps on PostgreSQL in one round trip."""
    with db.atomic():
        wallets = lock_wallets([source_wallet.pk, destination_wallet.pk])
        sender, receiver = wallets[source_wallet.pk], wallets[destination_wallet.pk]
        ensure_unlocked(sender, receiver)
        debit = amount + fee.paid_by_sender
        if sender.balance < debit:
            raise InsufficientFunds()  # before the limits, so the refusal names the real reason
        tiers = tiers_of(sender, receiver)
        charge_outflow(sender, debit, operation="transfer", amount=amount, tier=tiers[sender.tier])
        admit_inflow(receiver, amount - fee.paid_by_recipient, tier=tiers[receiver.tier])
        sent, received = Transaction.transfer_pair(
            sender=sender,
            receiver=receiver,
            amount=amount,
            fee=fee,
            reference=reference,
            description=description,
            metadata=metadata,
            at=timezone.now(),
        )
        sent.save()
        received.related_transaction = sent
        received.save()
        TransferNotice.objects.create(transaction=sent)  # the notifications' outbox
        post(
            journal=sent,
            legs=[
                Leg(wallet=sender, amount=-(amount + fee.paid_by_sender)),
                Leg(wallet=receiver, amount=received.amount),
                Leg(account=SystemAccount.FEE_REVENUE, amount=fee.amount),
            ],
        )
    source_wallet.balance, destination_wallet.balance = sender.balance, receiver.balance
    return sent
