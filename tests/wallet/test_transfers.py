from decimal import Decimal

import pytest
from django.db import transaction

from tests.wallet.money import assert_ledger_consistent, balances, total_in_wallets
from wallet.exceptions import (
    CurrencyMismatch,
    DuplicateReference,
    InsufficientFunds,
    InvalidAmount,
    LimitExceeded,
    WalletError,
    WalletLocked,
)
from wallet.models import Direction, LedgerEntry, Transaction, TransactionStatus, TransactionType
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_transfer_paths")]
service = WalletService()


def test_transfer_moves_money_and_records_both_sides(funded_wallet, other_wallet):
    sent = service.transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("2500.25"),
        description="Rent share",
    )
    assert balances(funded_wallet, other_wallet) == [Decimal("7499.75"), Decimal("2500.25")]
    assert (sent.status, sent.direction, sent.counterparty_wallet) == (
        TransactionStatus.SUCCESS,
        Direction.DEBIT,
        other_wallet,
    )
    received = Transaction.objects.get(wallet=other_wallet, transaction_type="transfer")
    assert received.related_transaction == sent and received.direction == Direction.CREDIT
    assert sorted(sent.ledger_entries.values_list("amount", flat=True)) == [
        Decimal("-2500.25"),
        Decimal("2500.25"),
    ]
    assert_ledger_consistent()


def test_transfer_with_insufficient_funds_moves_nothing(funded_wallet, other_wallet):
    with pytest.raises(InsufficientFunds):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("10000.01")
        )
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    assert Transaction.objects.filter(transaction_type="transfer").count() == 0


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("-5"),
        Decimal("0"),
        "0.00",
        Decimal("NaN"),
        Decimal("Infinity"),
        "-Infinity",
        "1e9999",
        Decimal("1.005"),
        "10.001",
        "abc",
        "",
        None,
        True,
        "1e30",
        "99999999999",
    ],
)
def test_bad_amounts_are_refused_and_move_nothing(funded_wallet, other_wallet, amount):
    before = total_in_wallets(), Transaction.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(WalletError) as caught:
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=amount
        )
    assert isinstance(caught.value, InvalidAmount) and str(caught.value)
    assert (total_in_wallets(), Transaction.objects.count(), LedgerEntry.objects.count()) == before


def test_transfer_to_own_wallet_is_refused(funded_wallet):
    with pytest.raises(WalletError, match="own wallet"):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=funded_wallet, amount=Decimal("10")
        )
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_transfer_across_currencies_is_refused(funded_wallet, other_user):
    dollars = service.get_wallet(other_user, currency="USD")
    with pytest.raises(CurrencyMismatch):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=dollars, amount=Decimal("10")
        )
    assert balances(funded_wallet, dollars) == [Decimal("10000.00"), Decimal("0.00")]


@pytest.mark.parametrize("locked_side", ["sender", "receiver"])
def test_locked_wallet_can_neither_send_nor_receive(funded_wallet, other_wallet, locked_side):
    (funded_wallet if locked_side == "sender" else other_wallet).lock()
    with pytest.raises(WalletLocked):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("10")
        )
    with pytest.raises(WalletLocked):
        target = funded_wallet if locked_side == "sender" else other_wallet
        service.deposit(wallet=target, amount=Decimal("1"))
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_unlocked_wallet_works_again(funded_wallet, other_wallet):
    funded_wallet.lock()
    funded_wallet.unlock()
    service.transfer(source_wallet=funded_wallet, destination_wallet=other_wallet, amount="10")
    assert balances(other_wallet) == [Decimal("10.00")]


def test_same_reference_and_same_details_returns_the_original(funded_wallet, other_wallet):
    first = service.transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("100"),
        reference="order-42-payment",
    )
    again = service.transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("100"),
        reference="order-42-payment",
    )
    assert again.pk == first.pk
    assert balances(funded_wallet, other_wallet) == [Decimal("9900.00"), Decimal("100.00")]


def test_same_reference_with_other_details_is_refused(funded_wallet, other_wallet):
    service.transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("100"),
        reference="order-43",
    )
    with pytest.raises(DuplicateReference):
        service.transfer(
            source_wallet=funded_wallet,
            destination_wallet=other_wallet,
            amount=Decimal("101"),
            reference="order-43",
        )
    with pytest.raises(DuplicateReference):
        service.withdraw(wallet=funded_wallet, amount=Decimal("100"), reference="order-43")
    assert balances(funded_wallet) == [Decimal("9900.00")]


def test_internal_deposit_and_withdraw_roll_back_with_the_callers_transaction(wallet):
    with pytest.raises(RuntimeError), transaction.atomic():
        service.deposit(wallet=wallet, amount=Decimal("500"), description="Escrow release")
        raise RuntimeError("the caller's order failed")
    assert balances(wallet) == [Decimal("0.00")]
    assert not Transaction.objects.exists() and not LedgerEntry.objects.exists()


def test_withdraw_debits_to_the_platform(funded_wallet):
    record = service.withdraw(wallet=funded_wallet, amount=Decimal("1500"), description="Order 7")
    assert record.transaction_type == TransactionType.WITHDRAWAL
    assert service.get_balance(funded_wallet) == Decimal("8500.00")
    assert_ledger_consistent()


def test_daily_outflow_limit_counts_every_debit(funded_wallet, other_wallet, tier_limits):
    tier_limits(1, daily_limit=Decimal("1000.00"))
    service.transfer(source_wallet=funded_wallet, destination_wallet=other_wallet, amount="600")
    service.withdraw(wallet=funded_wallet, amount="400")
    with pytest.raises(LimitExceeded, match="daily limit"):
        service.transfer(source_wallet=funded_wallet, destination_wallet=other_wallet, amount="1")
    assert balances(funded_wallet) == [Decimal("9000.00")]


def test_per_operation_maximum(funded_wallet, other_wallet, settings):
    settings.WALLET_MAX_AMOUNT = Decimal("5000.00")
    with pytest.raises(InvalidAmount, match="largest amount"):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount="5000.01"
        )


def test_reversing_a_transfer_returns_the_money_once(funded_wallet, other_wallet):
    sent = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("300")
    )
    reversal = TransactionService().reverse_transaction(sent, reason="Sent by mistake")
    assert reversal.transaction_type == TransactionType.REVERSAL
    assert reversal.wallet == funded_wallet and reversal.direction == Direction.CREDIT
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    with pytest.raises(WalletError):
        TransactionService().reverse_transaction(sent)
    sent.refresh_from_db()
    assert sent.status == TransactionStatus.REVERSED
    assert_ledger_consistent()


def test_reversal_fails_cleanly_when_the_receiver_spent_the_money(
    funded_wallet, other_wallet, make_user
):
    sent = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("300")
    )
    third = service.get_wallet(make_user())
    service.transfer(source_wallet=other_wallet, destination_wallet=third, amount=Decimal("250"))
    with pytest.raises(InsufficientFunds):
        TransactionService().reverse_transaction(sent)
    assert balances(funded_wallet, other_wallet) == [Decimal("9700.00"), Decimal("50.00")]


def test_list_transactions_filters_and_pages(funded_wallet, other_wallet):
    for amount in ("1", "2", "3"):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=amount
        )
    listing = TransactionService().list_transactions(
        wallet=funded_wallet, transaction_type="transfer", status="success", limit=2, offset=1
    )
    assert [t.amount for t in listing] == [Decimal("2.00"), Decimal("1.00")]
    assert [t.amount for t in TransactionService().list_transactions(wallet=other_wallet)] == [
        Decimal("3.00"),
        Decimal("2.00"),
        Decimal("1.00"),
    ]


def test_both_transfer_paths_write_the_same_rows(funded_wallet, other_wallet, settings):
    from wallet.models import FeeRule

    FeeRule.objects.create(transaction_type="transfer", flat=Decimal("2.50"))

    def shape(sent):
        rows = sorted(
            (r.wallet_id or 0, r.system_account, r.amount, r.currency)
            for r in sent.ledger_entries.all()
        )
        received = Transaction.objects.get(related_transaction=sent)
        fields = (
            "transaction_type",
            "direction",
            "status",
            "channel",
            "amount",
            "fee",
            "currency",
            "description",
            "metadata",
            "counterparty_wallet_id",
            "wallet_id",
        )
        return ([getattr(sent, f) for f in fields], [getattr(received, f) for f in fields], rows)

    shapes = []
    for in_database in (True, False):
        settings.WALLET_TRANSFER_IN_DATABASE = in_database
        sent = service.transfer(
            source_wallet=funded_wallet,
            destination_wallet=other_wallet,
            amount=Decimal("100.10"),
            description="Same",
            metadata={"k": 1},
        )
        assert Transaction.objects.get(pk=sent.pk).created_at == sent.created_at
        shapes.append(shape(Transaction.objects.get(pk=sent.pk)))
    assert shapes[0] == shapes[1]
    assert balances(funded_wallet) == [Decimal("10000.00") - 2 * Decimal("102.60")]
    assert_ledger_consistent()
