"""Card checkout: initialize stores a pending deposit first; only a verified success with the
initialized amount and currency credits, and only once."""

from decimal import Decimal

import pytest

from tests.funding.conftest import CALLBACK_URL, DECLINED_CARD, SUCCESS_CARD
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import (
    ChargeAmountMismatch,
    ChargeBelongsToAnotherWallet,
    ChargeNotSuccessful,
    InvalidAmount,
    InvalidCallbackURL,
    UnknownChargeReference,
    WalletLocked,
)
from wallet.models import (
    Card,
    ChargeAnomaly,
    LedgerEntry,
    SystemAccount,
    Transaction,
    TransactionStatus,
)
from wallet.paystack import PaystackClient
from wallet.services.ledger.posting import new_reference
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def test_initialize_stores_a_pending_deposit_before_paystack_and_moves_nothing(
    wallet, start_charge
):
    checkout = start_charge(wallet, "2500.00")

    tx = Transaction.objects.get(reference=checkout["reference"])
    assert tx.status == TransactionStatus.PENDING
    assert tx.amount == Decimal("2500.00") and tx.wallet == wallet
    assert checkout["authorization_url"].endswith(checkout["access_code"])
    assert balances(wallet) == [Decimal("0.00")]
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.com/callback",
        "//evil.com/callback",
        "https:evil.com",
        "javascript:alert(1)",
        "http://testserver@evil.com/",
        "ftp://testserver/x",
    ],
)
def test_initialize_refuses_a_callback_url_off_this_site(wallet, sandbox, url):
    with pytest.raises(InvalidCallbackURL):
        WalletService().initialize_card_charge(
            wallet=wallet, amount=Decimal("100"), email=wallet.user.email, callback_url=url
        )
    assert not Transaction.objects.exists()


def test_without_a_callback_url_the_payer_comes_back_to_this_sites_callback_page(wallet, sandbox):
    checkout = WalletService().initialize_card_charge(
        wallet=wallet, amount=Decimal("100"), email=wallet.user.email, callback_url=None
    )
    tx = Transaction.objects.get(reference=checkout["reference"])
    assert tx.metadata["callback_url"].endswith("/wallet/deposit/callback/")


@pytest.mark.parametrize("amount", ["-5", "0", "NaN", "Infinity", "1e9999", "1.001", "abc"])
def test_initialize_refuses_bad_amounts_and_stores_nothing(wallet, sandbox, amount):
    with pytest.raises(InvalidAmount):
        WalletService().initialize_card_charge(
            wallet=wallet, amount=amount, email=wallet.user.email, callback_url=CALLBACK_URL
        )
    assert not Transaction.objects.exists()


def test_a_locked_wallet_cannot_start_a_deposit(wallet, sandbox):
    wallet.lock()
    with pytest.raises(WalletLocked):
        WalletService().initialize_card_charge(
            wallet=wallet, amount=Decimal("100"), email=wallet.user.email, callback_url=CALLBACK_URL
        )


def test_a_paid_charge_is_credited_once_with_the_card_saved(wallet, paid_charge):
    checkout = paid_charge(wallet, "5000.00")
    service = WalletService()

    data = service.verify_card_charge(checkout["reference"])
    credited_wallet, tx, card = service.process_successful_card_charge(data)
    again = service.process_successful_card_charge(data)

    assert tx.status == TransactionStatus.SUCCESS and again[1].pk == tx.pk
    assert balances(wallet) == [Decimal("5000.00")]
    assert credited_wallet.pk == wallet.pk
    assert card.last4 == "4081" and card.is_default and card == again[2]
    assert Card.objects.count() == 1
    paystack_rows = LedgerEntry.objects.filter(system_account=SystemAccount.PAYSTACK)
    fee_rows = LedgerEntry.objects.filter(system_account=SystemAccount.GATEWAY_FEES)
    assert sum(r.amount for r in paystack_rows) + sum(r.amount for r in fee_rows) == Decimal(
        "-5000.00"
    )
    assert_ledger_consistent()


def test_paying_twice_with_one_card_keeps_one_saved_card(wallet, paid_charge):
    service = WalletService()
    for _ in range(2):
        checkout = paid_charge(wallet, "100.00")
        service.process_successful_card_charge(service.verify_card_charge(checkout["reference"]))

    assert wallet.cards.count() == 1
    card = wallet.cards.get()
    assert (card.bin, card.last4, card.exp_month, card.exp_year) == ("408408", "4081", "12", "2030")
    assert card.brand == "visa" and card.bank == "TEST BANK"


def test_a_declined_charge_is_refused_and_recorded(wallet, paid_charge):
    checkout = paid_charge(wallet, "5000.00", card=DECLINED_CARD)
    service = WalletService()
    data = service.verify_card_charge(checkout["reference"])

    with pytest.raises(ChargeNotSuccessful):
        service.process_successful_card_charge(data)
    tx = service.settle_card_charge(checkout["reference"], wallet=wallet)

    assert tx.status == TransactionStatus.FAILED and "Declined" in tx.failure_reason
    assert balances(wallet) == [Decimal("0.00")]
    assert ChargeAnomaly.objects.filter(kind=ChargeAnomaly.Kind.NOT_SUCCESSFUL).exists()


def test_a_payer_who_retries_after_a_decline_on_the_same_checkout_is_credited(
    wallet, sandbox, start_charge
):
    checkout = start_charge(wallet, "700.00")
    service = WalletService()
    sandbox.complete_checkout(checkout["authorization_url"], card=DECLINED_CARD)
    assert service.settle_card_charge(checkout["reference"]).status == TransactionStatus.FAILED

    sandbox.complete_checkout(checkout["authorization_url"], card=SUCCESS_CARD)
    tx = service.settle_card_charge(checkout["reference"])

    assert tx.status == TransactionStatus.SUCCESS
    assert balances(wallet) == [Decimal("700.00")]


def _charge_at_sandbox_differing_from_local(wallet, sandbox, *, amount_kobo, currency):
    """A local pending deposit of 500.00 NGN whose reference the sandbox knows with another
    amount or currency (what a tampered checkout would report), then paid."""
    service = WalletService()
    tx = Transaction.objects.create(
        wallet=wallet,
        reference=new_reference("tamper"),
        transaction_type="deposit",
        direction="credit",
        status="pending",
        amount=Decimal("500.00"),
        currency="NGN",
        channel="card",
    )
    client = PaystackClient()
    data = client.initialize_transaction(
        email=wallet.user.email,
        amount_kobo=amount_kobo,
        reference=tx.reference,
        currency=currency,
        callback_url=CALLBACK_URL,
    )
    sandbox.complete_checkout(data["authorization_url"])
    return service, tx


@pytest.mark.parametrize(
    ("amount_kobo", "currency", "kind"),
    [
        (60000, "NGN", ChargeAnomaly.Kind.AMOUNT_MISMATCH),
        (50000, "GHS", ChargeAnomaly.Kind.CURRENCY_MISMATCH),
    ],
)
def test_amount_or_currency_changed_at_paystack_is_not_credited_and_is_recorded(
    wallet, sandbox, amount_kobo, currency, kind
):
    service, tx = _charge_at_sandbox_differing_from_local(
        wallet, sandbox, amount_kobo=amount_kobo, currency=currency
    )

    for _ in range(2):  # the webhook retry or the callback after it changes nothing
        with pytest.raises(ChargeAmountMismatch if _ == 0 else Exception) as error:
            service.process_successful_card_charge(service.verify_card_charge(tx.reference))
        assert error.value.message

    tx.refresh_from_db()
    assert tx.status == TransactionStatus.FAILED and tx.metadata["credit_refused"] == kind
    assert balances(wallet) == [Decimal("0.00")]
    assert not LedgerEntry.objects.exists()
    assert ChargeAnomaly.objects.filter(kind=kind, reference=tx.reference).exists()


def test_another_users_reference_is_refused_and_recorded(wallet, other_wallet, paid_charge):
    checkout = paid_charge(other_wallet, "300.00")
    service = WalletService()
    data = service.verify_card_charge(checkout["reference"])

    with pytest.raises(ChargeBelongsToAnotherWallet):
        service.process_successful_card_charge(data, wallet=wallet)
    with pytest.raises(ChargeBelongsToAnotherWallet):
        service.settle_card_charge(checkout["reference"], wallet=wallet)

    assert balances(wallet, other_wallet) == [Decimal("0.00"), Decimal("0.00")]
    # Both attempts refused; staff see the reference once (issue 20: kept once per reference).
    assert ChargeAnomaly.objects.filter(kind=ChargeAnomaly.Kind.WRONG_WALLET).count() == 1


def test_an_unknown_reference_is_refused_and_recorded(wallet, sandbox):
    data = {"reference": "not-ours-123456789", "status": "success", "amount": 100000}

    with pytest.raises(UnknownChargeReference) as error:
        WalletService().process_successful_card_charge(data)

    assert "No payment with this reference" in error.value.message
    assert ChargeAnomaly.objects.filter(
        kind=ChargeAnomaly.Kind.UNKNOWN_REFERENCE, reference="not-ours-123456789"
    ).exists()
    assert not LedgerEntry.objects.exists()


def test_verify_paystack_transaction_returns_the_data_and_settles_our_deposit(wallet, paid_charge):
    from wallet.services.transaction_service import TransactionService

    checkout = paid_charge(wallet, "1200.00")

    data = TransactionService().verify_paystack_transaction(checkout["reference"])

    assert data["status"] == "success" and data["amount"] == 120000
    assert Transaction.objects.get(reference=checkout["reference"]).status == "success"
    assert balances(wallet) == [Decimal("1200.00")]
