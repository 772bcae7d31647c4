"""The usage guide's snippets for deposits, saved cards, verification, refunds and error
handling, copied unchanged, run against the Paystack sandbox.

The guide's callback URL is https://example.com/callback: callback URLs are limited to the
site's own hosts, so these tests run the site as example.com (ALLOWED_HOSTS), as a deployment
of the guide's example would.
"""

from decimal import Decimal

import pytest

from wallet.exceptions import (
    InsufficientFunds,
    InvalidAmount,
    PaystackAPIError,
    TransactionFailed,
    WalletError,
    WalletLocked,
)
from wallet.models import Card, Transaction
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


# --- "Handling Deposits" ------------------------------------------------------------------
def initiate_deposit(user, amount):
    wallet_service = WalletService()
    wallet = wallet_service.get_wallet(user)
    
    charge_data = wallet_service.initialize_card_charge(
        wallet=wallet,
        amount=Decimal(amount),
        email=user.email,
        callback_url="https://example.com/callback"
    )
    
    # Return the authorization URL for redirection
    return charge_data.get('authorization_url')


def process_successful_charge(reference):
    wallet_service = WalletService()
    transaction_data = wallet_service.verify_card_charge(reference)
    
    if transaction_data.get('status') == 'success':
        wallet, transaction, card = wallet_service.process_successful_card_charge(transaction_data)
        return {
            'wallet_id': wallet.id,
            'transaction_id': transaction.id,
            'amount': transaction.amount,
            'status': transaction.status
        }
    else:
        return {'status': 'failed', 'reason': transaction_data.get('gateway_response')}


def charge_saved_card(user, card_id, amount):
    from wallet.models import Card
    
    wallet_service = WalletService()
    wallet = wallet_service.get_wallet(user)
    
    try:
        card = Card.objects.get(id=card_id, wallet=wallet)
        
        charge_data = wallet_service.charge_saved_card(
            card=card,
            amount=Decimal(amount)
        )
        
        return charge_data
    except Card.DoesNotExist:
        return {'status': 'failed', 'reason': 'Card not found'}


# --- "Transaction Management" -------------------------------------------------------------
def verify_transaction(reference):
    transaction_service = TransactionService()
    
    try:
        verification_data = transaction_service.verify_paystack_transaction(reference)
        return verification_data
    except Exception as e:
        return {'status': 'failed', 'reason': str(e)}


def refund_transaction(transaction_id, amount=None, reason=None):
    from wallet.models import Transaction
    
    transaction_service = TransactionService()
    
    try:
        transaction = Transaction.objects.get(id=transaction_id)
        
        refund_transaction = transaction_service.refund_transaction(
            transaction=transaction,
            amount=Decimal(amount) if amount else None,
            reason=reason
        )
        
        return {
            'transaction_id': refund_transaction.id,
            'status': refund_transaction.status,
            'amount': str(refund_transaction.amount)
        }
    except Transaction.DoesNotExist:
        return {'status': 'failed', 'reason': 'Transaction not found'}


# --- "Error Handling" ---------------------------------------------------------------------
def safe_wallet_operation(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except InsufficientFunds:
        # Handle insufficient funds error
        return {'error': 'Insufficient funds in your wallet'}
    except WalletLocked:
        # Handle locked wallet error
        return {'error': 'Your wallet is currently locked'}
    except InvalidAmount:
        # Handle invalid amount error
        return {'error': 'Invalid amount provided'}
    except TransactionFailed as e:
        # Handle transaction failure
        return {'error': f'Transaction failed: {str(e)}'}
    except PaystackAPIError as e:
        # Handle Paystack API errors
        return {'error': f'Payment gateway error: {str(e)}'}
    except WalletError as e:
        # Handle other wallet-related errors
        return {'error': f'Wallet error: {str(e)}'}
    except Exception as e:
        # Handle unexpected errors
        return {'error': f'An unexpected error occurred: {str(e)}'}


@pytest.fixture
def site_as_example_com(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.com"]


def deposit_reference(wallet):
    return Transaction.objects.filter(wallet=wallet, transaction_type="deposit").latest(
        "created_at"
    ).reference


def test_deposit_snippets_credit_once_and_save_the_card(
    sandbox, site_as_example_com, user, wallet
):
    authorization_url = initiate_deposit(user, "5000")
    assert authorization_url.startswith(sandbox.base_url)
    sandbox.complete_checkout(authorization_url)
    reference = deposit_reference(wallet)

    first = process_successful_charge(reference)
    again = process_successful_charge(reference)  # the webhook or a retry: no second credit
    assert first == again == {
        "wallet_id": wallet.id, "transaction_id": first["transaction_id"],
        "amount": Decimal("5000.00"), "status": "success",
    }
    assert WalletService().get_balance(wallet) == Decimal("5000.00")
    assert verify_transaction(reference)["status"] == "success"
    assert verify_transaction("no-such-reference-000")["status"] == "failed"

    card = Card.objects.get(wallet=wallet)
    charged = charge_saved_card(user, card.id, "1500")
    assert charged["status"] == "success"
    assert WalletService().get_balance(wallet) == Decimal("6500.00")


def test_a_declined_card_is_reported_failed_and_credits_nothing(
    sandbox, site_as_example_com, user, wallet
):
    sandbox.complete_checkout(initiate_deposit(user, "700"), card="4084080000005408")
    result = process_successful_charge(deposit_reference(wallet))
    assert result["status"] == "failed" and result["reason"]
    assert WalletService().get_balance(wallet) == Decimal("0.00")


def test_another_users_card_is_not_found(sandbox, site_as_example_com, user, wallet, other_user):
    sandbox.complete_checkout(initiate_deposit(user, "5000"))
    process_successful_charge(deposit_reference(wallet))
    card = Card.objects.get(wallet=wallet)
    assert charge_saved_card(other_user, card.id, "100") == {
        "status": "failed", "reason": "Card not found"}


def test_refund_snippet_refunds_part_of_a_card_deposit(sandbox, site_as_example_com, user, wallet):
    sandbox.complete_checkout(initiate_deposit(user, "5000"))
    deposit = process_successful_charge(deposit_reference(wallet))
    refund = refund_transaction(deposit["transaction_id"], amount="1200", reason="Changed mind")
    assert refund["amount"] == "1200.00" and refund["status"] in ("pending", "success")
    assert WalletService().get_balance(wallet) == Decimal("3800.00")
    assert refund_transaction(987654321) == {"status": "failed", "reason": "Transaction not found"}


def test_error_handling_snippet_names_each_wallet_error(funded_wallet, other_wallet):
    service = WalletService()
    assert safe_wallet_operation(
        service.transfer, source_wallet=funded_wallet, destination_wallet=other_wallet,
        amount=Decimal("10000.01"),
    ) == {"error": "Insufficient funds in your wallet"}
    assert safe_wallet_operation(
        service.transfer, source_wallet=funded_wallet, destination_wallet=other_wallet,
        amount=Decimal("-1"),
    ) == {"error": "Invalid amount provided"}
    other_wallet.lock()
    assert safe_wallet_operation(
        service.transfer, source_wallet=funded_wallet, destination_wallet=other_wallet,
        amount=Decimal("1"),
    ) == {"error": "Your wallet is currently locked"}
    assert safe_wallet_operation(
        service.transfer, source_wallet=funded_wallet, destination_wallet=funded_wallet,
        amount=Decimal("1"),
    ) == {"error": "Wallet error: You cannot send money to your own wallet."}
