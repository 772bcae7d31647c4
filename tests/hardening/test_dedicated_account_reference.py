"""Finding 7: a bank transfer's reference settles only a bank-transfer deposit, never a
withdrawal or another channel's row that carries the same reference."""

from decimal import Decimal

import pytest

from tests.wallet.money import balances
from wallet.exceptions import UnknownChargeReference
from wallet.models import (
    Channel,
    ChargeAnomaly,
    Direction,
    LedgerEntry,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("transaction_type", "direction", "channel"),
    [
        (TransactionType.WITHDRAWAL, Direction.DEBIT, Channel.BANK),
        (TransactionType.DEPOSIT, Direction.CREDIT, Channel.CARD),
    ],
)
def test_a_bank_transfer_reference_never_settles_another_kind_of_row(
    wallet, sandbox, transaction_type, direction, channel
):
    service = WalletService()
    account = service.request_dedicated_account(wallet)
    sent = sandbox.send_dva_transfer(account.account_number, 500_000)
    found = sandbox.wait_for_delivery(
        "charge.success", reference=sent["reference"], status="no_url"
    )
    data = found["payload"]["data"]
    # A row of ours that happens to carry Paystack's reference, still waiting to settle.
    other = Transaction.objects.create(
        wallet=wallet,
        reference=sent["reference"],
        transaction_type=transaction_type,
        direction=direction,
        status=TransactionStatus.PENDING,
        amount=Decimal("5000.00"),
        currency=wallet.currency,
        channel=channel,
    )

    with pytest.raises(UnknownChargeReference):
        service.credit_dedicated_account_transfer(data)

    other.refresh_from_db()
    assert other.status == TransactionStatus.PENDING
    assert not LedgerEntry.objects.exists()
    assert balances(wallet) == [Decimal("0.00")]
    assert ChargeAnomaly.objects.filter(reference=sent["reference"]).exists()
