"""Odd dispute events (a forged id, unicode digits, an amount that is no number, another
site's charge, a signature that does not match) are refused or ignored: a 4xx or a recorded
refusal, never a 5xx, and nothing moves."""

import json
from decimal import Decimal

import pytest

from tests.funding.conftest import post_webhook
from wallet.models import Dispute, LedgerEntry, WebhookEvent
from wallet.services.disputes.events import apply_paystack_dispute
from wallet.services.funding.webhooks import signature_for

pytestmark = pytest.mark.django_db


def signed(settings, payload):
    body = json.dumps(payload).encode()
    return body, signature_for(body, settings.PAYSTACK_SECRET_KEY)


@pytest.mark.parametrize(
    "data",
    [
        {"id": "１２３", "status": "awaiting-merchant-feedback"},
        {"id": -4, "transaction": {"reference": "x"}},
        {"id": True, "transaction": {"reference": "x"}},
        {"id": 9 * 10**30, "transaction": {"reference": "x"}},
        {"id": 77, "transaction": "not an object"},
        {"id": 78, "transaction": {"reference": "nobody-s-charge\x00"}},
        {},
    ],
)
def test_an_odd_dispute_moves_nothing(data):
    assert apply_paystack_dispute(data) is None
    assert not Dispute.objects.exists() and not LedgerEntry.objects.exists()


def test_an_unreadable_amount_holds_the_deposit_and_never_more(funded_deposit):
    dispute = apply_paystack_dispute(
        {"id": 91, "refund_amount": "1e9", "transaction": {"reference": funded_deposit.reference}}
    )
    assert dispute.amount == funded_deposit.amount
    more = apply_paystack_dispute(
        {"id": 92, "refund_amount": 10**15, "transaction": {"reference": funded_deposit.reference}}
    )
    assert more.amount == funded_deposit.amount and more.held == 0  # nothing left to hold


@pytest.fixture
def funded_deposit(wallet):
    """A successful deposit row as the funding service leaves it (credited, ₦300)."""
    from wallet.models import Channel, Direction, Transaction, TransactionStatus, TransactionType
    from wallet.services.ledger.posting import Leg, lock_wallets, post

    tx = Transaction.objects.create(
        wallet=wallet, reference="dep-odd-1", transaction_type=TransactionType.DEPOSIT,
        direction=Direction.CREDIT, status=TransactionStatus.SUCCESS, channel=Channel.CARD,
        amount=Decimal("300.00"), currency=wallet.currency,
    )  # fmt: skip
    locked = lock_wallets([wallet.pk])[wallet.pk]
    post(
        journal=tx,
        legs=[Leg(wallet=locked, amount=tx.amount), Leg(account="paystack", amount=-tx.amount)],
    )
    return tx


def test_a_forged_dispute_webhook_is_refused_and_moves_nothing(client, settings, funded_deposit):
    settings.PAYSTACK_SECRET_KEY = "sk_test_forgery"
    body, _ = signed(settings, {"event": "charge.dispute.create", "data": {"id": 5}})
    response = post_webhook(client, body, "0" * 128)
    assert response.status_code == 401
    assert not Dispute.objects.exists() and not WebhookEvent.objects.exists()


def test_a_dispute_of_another_sites_charge_is_recorded_as_ignored(
    client, settings, q_sync, funded_deposit
):
    settings.PAYSTACK_SECRET_KEY = "sk_test_other"
    payload = {
        "event": "charge.dispute.create",
        "data": {"id": 6, "status": "awaiting-merchant-feedback",
                 "transaction": {"reference": "T-SOMEONE-ELSE"}},
    }  # fmt: skip
    body, signature = signed(settings, payload)
    assert post_webhook(client, body, signature).status_code == 200
    assert WebhookEvent.objects.get().status == "ignored"
    assert not Dispute.objects.exists()
