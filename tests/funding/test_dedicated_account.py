"""Dedicated bank accounts: one per wallet; a transfer to it is credited once per Paystack
reference, however often the webhook arrives."""

from decimal import Decimal

import pytest

from tests.funding.conftest import post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Channel, DedicatedAccount, Transaction
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def test_asking_twice_gives_the_same_account_number(wallet, sandbox):
    service = WalletService()
    first = service.request_dedicated_account(wallet)
    second = service.request_dedicated_account(wallet)

    assert first.pk == second.pk and len(first.account_number) == 10
    assert first.bank_name and first.customer_code.startswith("CUS_")


def test_a_bank_transfer_to_the_account_is_credited_once(client, wallet, sandbox, delivery, q_sync):
    account = WalletService().request_dedicated_account(wallet)
    sent_tx = sandbox.send_dva_transfer(account.account_number, 1_250_000, sender_name="ADA OBI")
    sent = delivery("charge.success", sent_tx["reference"])

    for _ in range(3):
        assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200

    tx = Transaction.objects.get(reference=sent_tx["reference"])
    assert tx.channel == Channel.DEDICATED_NUBAN and tx.status == "success"
    assert "ADA OBI" in tx.description
    assert balances(wallet) == [Decimal("12500.00")]
    assert_ledger_consistent()


def test_a_transfer_to_an_account_of_no_wallet_is_refused_and_recorded(
    client, wallet, other_wallet, sandbox, delivery, q_sync
):
    account = WalletService().request_dedicated_account(other_wallet)
    sent_tx = sandbox.send_dva_transfer(account.account_number, 50_000)
    DedicatedAccount.objects.all().delete()  # as if the number belonged to no wallet here
    sent = delivery("charge.success", sent_tx["reference"])

    post_webhook(client, sent["body"], sent["signature"])

    from wallet.models import ChargeAnomaly, WebhookEvent

    assert WebhookEvent.objects.get().status == WebhookEvent.Status.REFUSED
    assert ChargeAnomaly.objects.filter(reference=sent_tx["reference"]).exists()
    assert balances(wallet, other_wallet) == [Decimal("0.00"), Decimal("0.00")]


def test_the_dedicated_account_page_creates_and_shows_the_number(client_logged_in, sandbox):
    assert b"get-account-number" in client_logged_in.get("/wallet/dedicated-account/").content

    response = client_logged_in.post("/wallet/dedicated-account/", follow=True)

    assert response.status_code == 200
    assert DedicatedAccount.objects.get().account_number.encode() in response.content
