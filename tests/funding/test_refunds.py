"""Refunds: a card deposit goes back through Paystack (full or partial, capped even under
concurrency); the wallet is debited at request and re-credited once if the refund fails.
An internal transfer is reversed through the ledger."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.funding.conftest import REFUND_FAILS_CARD, post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import InsufficientFunds, RefundExceedsCharge, RefundNotAllowed
from wallet.models import Refund, SystemAccount, Transaction, TransactionType
from wallet.services.ledger.check import check_ledger
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService


def system_balance(account):
    from wallet.models import LedgerEntry

    return sum(
        LedgerEntry.objects.filter(system_account=account).values_list("amount", flat=True),
        Decimal("0"),
    )


@pytest.mark.django_db
def test_a_full_refund_holds_the_money_then_completes_on_refund_processed(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    deposit = card_deposit("1000.00")

    refund_tx = TransactionService().refund_transaction(transaction=deposit, reason="Changed mind")

    assert refund_tx.transaction_type == TransactionType.REFUND
    assert refund_tx.status == "pending" and refund_tx.amount == Decimal("1000.00")
    assert balances(wallet) == [Decimal("0.00")]
    assert system_balance(SystemAccount.REFUNDS_IN_FLIGHT) == Decimal("1000.00")
    sandbox.settle()
    sent = delivery("refund.processed", deposit.reference)
    assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200

    refund = Refund.objects.get()
    refund_tx.refresh_from_db()
    assert refund.status == "processed" and refund_tx.status == "success"
    assert system_balance(SystemAccount.REFUNDS_IN_FLIGHT) == 0
    assert balances(wallet) == [Decimal("0.00")]
    assert_ledger_consistent()


@pytest.mark.django_db
def test_a_failed_refund_returns_the_money_exactly_once(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    deposit = card_deposit("800.00", card=REFUND_FAILS_CARD)
    TransactionService().refund_transaction(transaction=deposit, amount=Decimal("300.00"))
    assert balances(wallet) == [Decimal("500.00")]

    sandbox.settle()
    sent = delivery("refund.failed", deposit.reference)
    for _ in range(3):  # duplicates
        post_webhook(client, sent["body"], sent["signature"])

    refund = Refund.objects.get()
    assert refund.status == "failed" and refund.transaction.status == "failed"
    assert balances(wallet) == [Decimal("800.00")]
    assert_ledger_consistent()


@pytest.mark.django_db
def test_partial_refunds_are_capped_at_what_is_left(wallet, card_deposit, sandbox):
    deposit = card_deposit("1000.00")
    service = TransactionService()
    service.refund_transaction(transaction=deposit, amount=Decimal("600.00"))

    with pytest.raises(RefundExceedsCharge) as error:
        service.refund_transaction(transaction=deposit, amount=Decimal("400.01"))
    assert "400.00" in error.value.message
    last = service.refund_transaction(transaction=deposit)  # the rest

    assert last.amount == Decimal("400.00")
    with pytest.raises(RefundNotAllowed):
        service.refund_transaction(transaction=deposit)
    assert balances(wallet) == [Decimal("0.00")]


@pytest.mark.django_db
def test_a_refund_of_money_already_spent_is_refused_and_moves_nothing(
    wallet, other_wallet, card_deposit, sandbox
):
    deposit = card_deposit("1000.00")
    WalletService().transfer(
        source_wallet=wallet, destination_wallet=other_wallet, amount=Decimal("900")
    )

    with pytest.raises(InsufficientFunds):
        TransactionService().refund_transaction(transaction=deposit)
    assert not Refund.objects.exists()
    assert balances(wallet) == [Decimal("100.00")]


@pytest.mark.django_db
def test_pending_or_internal_deposits_cannot_be_refunded(wallet, start_charge, funded_wallet):
    pending = Transaction.objects.get(reference=start_charge(wallet, "100.00")["reference"])
    internal = Transaction.objects.get(wallet=funded_wallet, channel="internal")
    for tx in (pending, internal):
        with pytest.raises(RefundNotAllowed):
            TransactionService().refund_transaction(transaction=tx)


@pytest.mark.django_db
def test_refunding_an_internal_transfer_reverses_it_on_both_wallets(funded_wallet, other_wallet):
    transfer = WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("250.00")
    )

    reversal = TransactionService().refund_transaction(transaction=transfer, reason="Sent twice")

    assert reversal.transaction_type == TransactionType.REVERSAL
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    assert_ledger_consistent()


@pytest.mark.django_db(transaction=True)
def test_concurrent_partial_refunds_never_exceed_the_charge(wallet, card_deposit, sandbox):
    deposit = card_deposit("1000.00")
    barrier = threading.Barrier(6)
    outcomes = []

    def refund():
        try:
            barrier.wait(timeout=10)
            TransactionService().refund_transaction(transaction=deposit, amount=Decimal("300.00"))
            outcomes.append("ok")
        except RefundExceedsCharge:
            outcomes.append("capped")
        finally:
            connection.close()

    threads = [threading.Thread(target=refund) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["capped"] * 3 + ["ok"] * 3
    assert sum(r.amount for r in Refund.objects.all()) == Decimal("900.00")
    assert balances(wallet) == [Decimal("100.00")]
    assert check_ledger().ok
