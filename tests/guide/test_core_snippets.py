"""The usage guide's snippets for wallets, transfers and history, copied unchanged.

Each function body below is the guide's text; the tests call them as a reader would.
"""

from decimal import Decimal

import pytest
from django.db import transaction

from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


# --- "Working with Wallets" ---------------------------------------------------------------
def get_user_wallet(user):
    wallet_service = WalletService()
    wallet = wallet_service.get_wallet(user)
    return wallet


def get_balance(user):
    wallet_service = WalletService()
    wallet = wallet_service.get_wallet(user)
    balance = wallet_service.get_balance(wallet)
    return balance


def lock_wallet(user):
    wallet_service = WalletService()
    wallet = wallet_service.get_wallet(user)
    wallet.lock()
    return f"Wallet {wallet.id} locked"


def unlock_wallet(user):
    wallet_service = WalletService()
    wallet = wallet_service.get_wallet(user)
    wallet.unlock()
    return f"Wallet {wallet.id} unlocked"


# --- "Transfers Between Wallets" ----------------------------------------------------------
def transfer_funds(sender_user, recipient_id, amount, description=None):
    from wallet.exceptions import InsufficientFunds, WalletLocked
    from wallet.models import Wallet

    wallet_service = WalletService()
    sender_wallet = wallet_service.get_wallet(sender_user)

    try:
        recipient_wallet = Wallet.objects.get(id=recipient_id)

        transaction = wallet_service.transfer(
            source_wallet=sender_wallet,
            destination_wallet=recipient_wallet,
            amount=Decimal(amount),
            description=description or f"Transfer to {recipient_wallet.user}"
        )

        return {
            'transaction_id': transaction.id,
            'status': transaction.status,
            'amount': str(transaction.amount)
        }
    except Wallet.DoesNotExist:
        return {'status': 'failed', 'reason': 'Recipient wallet not found'}
    except InsufficientFunds:
        return {'status': 'failed', 'reason': 'Insufficient funds'}
    except WalletLocked:
        return {'status': 'failed', 'reason': 'Wallet is locked'}


# --- "Transaction Management" -------------------------------------------------------------
def get_transaction_history(user, transaction_type=None, status=None, limit=20, offset=0):
    wallet_service = WalletService()
    transaction_service = TransactionService()
    wallet = wallet_service.get_wallet(user)

    transactions = transaction_service.list_transactions(
        wallet=wallet,
        transaction_type=transaction_type,
        status=status,
        limit=limit,
        offset=offset
    )

    return [{
        'id': tx.id,
        'reference': tx.reference,
        'amount': str(tx.amount),
        'type': tx.transaction_type,
        'status': tx.status,
        'description': tx.description,
        'created_at': tx.created_at.isoformat()
    } for tx in transactions]


def test_wallet_snippets(user):
    wallet = get_user_wallet(user)
    assert get_user_wallet(user) == wallet
    assert get_balance(user) == Decimal("0.00")
    assert lock_wallet(user) == f"Wallet {wallet.id} locked"
    wallet.refresh_from_db()
    assert wallet.is_locked
    assert unlock_wallet(user) == f"Wallet {wallet.id} unlocked"
    wallet.refresh_from_db()
    assert not wallet.is_locked


def test_transfer_snippet_reports_each_outcome(funded_wallet, user, other_user, other_wallet):
    done = transfer_funds(user, other_wallet.id, "1500.50", "Dinner")
    assert done == {"transaction_id": done["transaction_id"], "status": "success",
                    "amount": "1500.50"}
    assert get_balance(other_user) == Decimal("1500.50")
    assert transfer_funds(user, 987654, "1") == {
        "status": "failed", "reason": "Recipient wallet not found"}
    assert transfer_funds(user, other_wallet.id, "999999") == {
        "status": "failed", "reason": "Insufficient funds"}
    lock_wallet(other_user)
    assert transfer_funds(user, other_wallet.id, "1") == {
        "status": "failed", "reason": "Wallet is locked"}


def test_history_snippet(funded_wallet, user, other_wallet):
    transfer_funds(user, other_wallet.id, "10")
    history = get_transaction_history(user, transaction_type="transfer")
    assert [(h["type"], h["status"], h["amount"]) for h in history] == [
        ("transfer", "success", "10.00")]
    assert len(get_transaction_history(user)) == 2


def test_marketplace_escrow_pattern_composes_in_one_transaction(funded_wallet, other_wallet):
    """The guide's MarketplaceService: withdraw from the buyer and deposit to the seller inside
    the caller's `transaction.atomic()`; if the caller fails, both roll back."""
    service = WalletService()
    with transaction.atomic():
        service.withdraw(wallet=funded_wallet, amount=Decimal("1000"), description="Order #1")
        service.deposit(wallet=other_wallet, amount=Decimal("975"), description="Order #1 paid")
    assert [service.get_balance(funded_wallet), service.get_balance(other_wallet)] == [
        Decimal("9000.00"), Decimal("975.00")]
    with pytest.raises(ValueError), transaction.atomic():
        service.withdraw(wallet=funded_wallet, amount=Decimal("1000"), description="Order #2")
        raise ValueError("Order is already completed")
    assert service.get_balance(funded_wallet) == Decimal("9000.00")
