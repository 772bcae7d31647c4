"""The trap real wallets fell into: the browser callback, the webhook (and its retries) and a
verify call all learn of one payment. PostgreSQL, real threads: exactly one credit."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from tests.funding.conftest import post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import LedgerEntry, Transaction, TransactionStatus, WebhookEvent
from wallet.services.transaction_service import TransactionService

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Start every call at once in its own thread (own DB connection); returns the errors."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # collected and asserted on by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_five_webhooks_the_callback_and_a_verify_at_once_credit_exactly_once(
    user, wallet, paid_charge, delivery, q_sync
):
    checkout = paid_charge(wallet, "4321.50")
    sent = delivery("charge.success", checkout["reference"])
    responses = []

    def webhook():
        responses.append(post_webhook(Client(), sent["body"], sent["signature"]).status_code)

    def browser_callback():
        client = Client()
        client.force_login(user)
        url = f"/wallet/deposit/callback/?trxref={sent['reference']}&reference={sent['reference']}"
        responses.append(client.get(url).status_code)

    def verify():
        TransactionService().verify_paystack_transaction(checkout["reference"])

    errors = run_together(*[webhook] * 5, browser_callback, verify)

    assert errors == []
    assert responses == [200] * 6
    tx = Transaction.objects.get(reference=checkout["reference"])
    assert tx.status == TransactionStatus.SUCCESS
    assert balances(wallet) == [Decimal("4321.50")]
    wallet_rows = LedgerEntry.objects.filter(journal=tx, wallet=wallet)
    assert [row.amount for row in wallet_rows] == [Decimal("4321.50")]
    event = WebhookEvent.objects.get()
    assert event.deliveries == 5 and event.status == WebhookEvent.Status.PROCESSED
    assert_ledger_consistent()
