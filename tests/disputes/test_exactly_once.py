"""Each dispute moves money once, whatever happens to its webhooks: duplicated (one after
another, or at the same moment from several threads), reordered (resolve before create), or
lost (the sync job asks Paystack and finds them)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.disputes.conftest import exposure_total, held_total, system_balance
from wallet.models import Dispute, LedgerEntry, SystemAccount, WebhookEvent
from wallet.paystack import PaystackClient
from wallet.services.disputes.events import apply_paystack_dispute
from wallet.services.disputes.reconcile import sync_disputes
from wallet.services.ledger.check import check_ledger
from wallet.services.wallet_service import WalletService

D = Decimal


def ledger_rows():
    return LedgerEntry.objects.count()


@pytest.mark.django_db(transaction=True)
def test_duplicated_webhooks_hold_and_resolve_once(wallet, card_deposit, disputes):
    deposit = card_deposit(amount="1000.00")
    opened = disputes.open(deposit)
    disputes.deliver("charge.dispute.create", deposit.reference, times=3)
    rows_after_open = ledger_rows()
    disputes.sandbox.remind_dispute(opened["id"])
    disputes.deliver("charge.dispute.remind", deposit.reference, times=2)
    assert ledger_rows() == rows_after_open
    disputes.resolve(opened, won=False)
    disputes.deliver("charge.dispute.resolve", deposit.reference, times=3)
    disputes.deliver("charge.dispute.create", deposit.reference)  # a late redelivery
    wallet.refresh_from_db()
    assert wallet.balance == 0 and Dispute.objects.count() == 1
    assert system_balance(SystemAccount.PAYSTACK) == -D("1000.00") + D("1000.00") + _fees()
    assert WebhookEvent.objects.get(event="charge.dispute.resolve").deliveries == 3
    assert check_ledger().ok


def _fees():
    """The gateway fee rows of the card deposit (if the platform bears them)."""
    rows = LedgerEntry.objects.filter(system_account=SystemAccount.GATEWAY_FEES)
    return -sum((row.amount for row in rows), D("0"))


@pytest.mark.django_db(transaction=True)
def test_a_resolve_arriving_before_its_create_opens_and_resolves_once(
    wallet, card_deposit, disputes
):
    deposit = card_deposit(amount="1000.00")
    WalletService().withdraw(wallet=wallet, amount=D("250.00"), description="Spent")
    opened = disputes.open(deposit)
    disputes.resolve(opened, won=True)
    disputes.deliver("charge.dispute.resolve", deposit.reference)
    rows = ledger_rows()
    disputes.deliver("charge.dispute.create", deposit.reference)
    assert ledger_rows() == rows
    wallet.refresh_from_db()
    dispute = Dispute.objects.get(paystack_id=opened["id"])
    assert (dispute.status, wallet.balance) == ("won", D("750.00"))
    assert (held_total(), exposure_total()) == (0, 0)
    assert check_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_lost_webhooks_are_found_by_the_sync_job_and_applied_once(
    sandbox, wallet, card_deposit, disputes
):
    deposit = card_deposit(amount="1000.00")
    opened = disputes.open(deposit)
    report = sync_disputes(PaystackClient())
    assert report.opened == 1
    wallet.refresh_from_db()
    assert wallet.balance == 0 and held_total() == D("1000.00")
    disputes.resolve(opened, won=False)
    again = sync_disputes(PaystackClient())
    assert again.resolved == 1
    rows = ledger_rows()
    assert sync_disputes(PaystackClient()).resolved == 0 and ledger_rows() == rows
    disputes.deliver("charge.dispute.resolve", deposit.reference)  # finally arrives
    assert ledger_rows() == rows
    assert Dispute.objects.get(paystack_id=opened["id"]).status == "lost"
    assert check_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_the_same_dispute_applied_from_many_threads_at_once_moves_money_once(
    sandbox, wallet, card_deposit, disputes
):
    deposit = card_deposit(amount="1000.00")
    opened = disputes.open(deposit)
    created = disputes.sandbox.api("GET", f"/dispute/{opened['id']}").json()["data"]
    _race(lambda: apply_paystack_dispute(created))
    assert Dispute.objects.count() == 1 and held_total() == D("1000.00")
    disputes.resolve(opened, won=True)
    resolved = disputes.sandbox.api("GET", f"/dispute/{opened['id']}").json()["data"]
    _race(lambda: apply_paystack_dispute(resolved))
    wallet.refresh_from_db()
    assert (wallet.balance, held_total()) == (D("1000.00"), 0)
    assert check_ledger().ok


def _race(work, threads=6):
    barrier = threading.Barrier(threads)
    errors = []

    def run():
        try:
            barrier.wait()
            work()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_a_dispute_of_a_charge_the_site_never_credited_is_ignored(sandbox, disputes):
    body = {"email": "stranger@example.com", "amount": 50_000}
    started = sandbox.api("POST", "/transaction/initialize", json=body).json()["data"]
    sandbox.complete_checkout(started["access_code"])
    sandbox.raise_dispute(started["reference"])
    disputes.deliver("charge.dispute.create", started["reference"])
    event = WebhookEvent.objects.get(event="charge.dispute.create")
    assert event.status == "ignored" and Dispute.objects.count() == 0
