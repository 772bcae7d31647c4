"""A refund is linked to Paystack's by its id, else by charge reference and amount (refund
webhooks carry a processor `refund_reference`, not the refund id); it is never sent twice, and
the wallet is never credited back while the card may have the money."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.funding.conftest import post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Refund
from wallet.services.funding import reconcile
from wallet.services.funding.refund_matching import REFUSED, UNCONFIRMED
from wallet.services.transaction_service import TransactionService

pytestmark = pytest.mark.django_db
NOW = timedelta(0)
NEEDS_ATTENTION_CARD = "4084080000671902"


def reconcile_now():
    return reconcile.reconcile_pending_refunds(TransactionService(), older_than=NOW)


def paystack_refunds(sandbox, reference):
    return sandbox.api("GET", "/refund", params={"transaction": reference}).json()["data"]


def send_event(client, delivery, event, reference):
    sent = delivery(event, reference)
    assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200
    return sent["payload"]["data"]


def refund_with_lost_answer(sandbox, deposit, amount="400.00"):
    """Ask for a refund while Paystack's answer is lost on the way back (it did refund)."""
    sandbox.fault("/refund", "drop", method="POST")
    TransactionService().refund_transaction(transaction=deposit, amount=Decimal(amount))
    refund = Refund.objects.get(charge=deposit)
    assert (refund.status, refund.paystack_status, refund.paystack_refund_id) == (
        "pending",
        UNCONFIRMED,
        None,
    )
    return refund


def test_a_processed_webhook_links_by_charge_and_amount_and_keeps_the_processor_reference_out(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    deposit = card_deposit("1000.00")
    refund = refund_with_lost_answer(sandbox, deposit)
    sandbox.settle()

    data = send_event(client, delivery, "refund.processed", deposit.reference)

    assert data["refund_reference"].isdigit() and "id" not in data
    refund.refresh_from_db()
    assert refund.status == "processed"
    assert refund.paystack_refund_id is None  # never the processor's number
    assert balances(wallet) == [Decimal("600.00")]
    assert_ledger_consistent()


def test_reconciliation_gives_a_refund_finished_by_id_less_webhooks_its_paystack_id(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    deposit = card_deposit("1000.00")
    first = refund_with_lost_answer(sandbox, deposit, amount="300.00")
    TransactionService().refund_transaction(transaction=deposit, amount=Decimal("300.00"))
    sandbox.settle()
    for sent in sandbox.deliveries("refund.processed", deposit.reference):
        assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200
    first.refresh_from_db()
    # The second refund (acknowledged, with its id) takes the first event; the next names
    # neither and only the first, never acknowledged, is left: not guessed (it could be a
    # refund Paystack never received), left to the reconciliation.
    assert (first.status, first.paystack_refund_id) == ("pending", None)

    reconcile_now()
    first.refresh_from_db()
    assert first.status == "processed"

    remote_ids = sorted(r["id"] for r in paystack_refunds(sandbox, deposit.reference))
    assert sorted(Refund.objects.values_list("paystack_refund_id", flat=True)) == remote_ids
    assert balances(wallet) == [Decimal("400.00")]
    assert_ledger_consistent()


def test_a_sibling_refunds_webhook_never_settles_a_refund_paystack_never_received(
    wallet, card_deposit, sandbox, client, q_sync
):
    """Seeded simulation 987654: a refund whose request got a 500 (Paystack kept nothing),
    then an equal one that went through, whose webhooks arrive out of order. The late
    `refund.pending` names neither refund; it used to mark the first "pending at Paystack",
    which then waited forever for a list entry that was its sibling's."""
    deposit = card_deposit("1000.00")
    service = TransactionService()
    sandbox.fault("/refund", "500", method="POST")
    service.refund_transaction(transaction=deposit, amount=Decimal("300.00"))
    first = Refund.objects.get(charge=deposit)
    assert (first.status, first.paystack_status) == ("pending", UNCONFIRMED)
    service.refund_transaction(transaction=deposit, amount=Decimal("300.00"))
    sandbox.settle()

    events = [d for d in sandbox.deliveries(None, deposit.reference) if "refund" in d["event"]]
    assert [d["event"] for d in events] == ["refund.pending", "refund.processed"]
    for sent in reversed(events):  # processed first, then the stale pending
        assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200
    first.refresh_from_db()
    assert (first.status, first.paystack_status) == ("pending", UNCONFIRMED)

    reconcile_now()  # no Paystack refund is left for the first: it is sent now
    sandbox.settle()
    reconcile_now()

    remote_ids = sorted(r["id"] for r in paystack_refunds(sandbox, deposit.reference))
    assert len(remote_ids) == 2
    assert sorted(Refund.objects.values_list("paystack_refund_id", flat=True)) == remote_ids
    assert set(Refund.objects.values_list("status", flat=True)) == {"processed"}
    assert balances(wallet) == [Decimal("400.00")]
    assert_ledger_consistent()


def test_a_refund_known_by_its_id_is_linked_by_it_and_fetched_after_its_webhooks(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    deposit = card_deposit("1000.00", card=NEEDS_ATTENTION_CARD)
    refund = refund_with_lost_answer(sandbox, deposit, amount="1000.00")
    sandbox.settle()

    data = send_event(client, delivery, "refund.needs-attention", deposit.reference)

    refund.refresh_from_db()
    assert refund.paystack_refund_id == int(data["id"])  # the event names the refund: linked by id
    assert (refund.status, refund.paystack_status) == ("pending", "needs-attention")
    reconcile_now()  # fetches GET /refund/<id>, which exists
    refund.refresh_from_db()
    assert (refund.status, refund.paystack_status) == ("pending", "needs-attention")
    assert balances(wallet) == [Decimal("0.00")]


def test_two_equal_partial_refunds_each_keep_their_own_id_through_their_webhooks(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    deposit = card_deposit("1000.00")
    service = TransactionService()
    for _ in range(2):
        service.refund_transaction(transaction=deposit, amount=Decimal("300.00"))
    ids = sorted(Refund.objects.values_list("paystack_refund_id", flat=True))
    sandbox.settle()

    for sent in sandbox.deliveries("refund.processed", deposit.reference):
        assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200

    assert sorted(Refund.objects.values_list("paystack_refund_id", flat=True)) == ids
    assert ids == sorted(r["id"] for r in paystack_refunds(sandbox, deposit.reference))
    assert set(Refund.objects.values_list("status", flat=True)) == {"processed"}
    assert balances(wallet) == [Decimal("400.00")]


def test_a_lost_refund_answer_is_found_by_reconciliation_and_the_card_is_refunded_once(
    wallet, card_deposit, sandbox
):
    deposit = card_deposit("1000.00")
    refund = refund_with_lost_answer(sandbox, deposit)
    assert balances(wallet) == [Decimal("600.00")]

    reconcile_now()
    refund.refresh_from_db()
    (remote,) = paystack_refunds(sandbox, deposit.reference)
    assert refund.paystack_refund_id == remote["id"]  # found in Paystack's list, not resent
    sandbox.settle()
    reconcile_now()

    refund.refresh_from_db()
    assert refund.status == "processed"
    assert len(paystack_refunds(sandbox, deposit.reference)) == 1
    assert balances(wallet) == [Decimal("600.00")]
    assert_ledger_consistent()


def test_a_refused_resend_after_a_lost_answer_never_credits_the_wallet_while_the_card_got_it(
    wallet, card_deposit, sandbox
):
    deposit = card_deposit("1000.00")
    refund = refund_with_lost_answer(sandbox, deposit, amount="1000.00")
    service = TransactionService()

    # A resend without reading Paystack's records first: Paystack refuses it, since the first
    # request went through ("Transaction has been fully reversed").
    service.send_refund(refund)

    refund.refresh_from_db()
    assert (refund.status, refund.paystack_status) == ("pending", REFUSED)
    assert balances(wallet) == [Decimal("0.00")]
    reconcile_now()
    refund.refresh_from_db()
    assert refund.paystack_refund_id == paystack_refunds(sandbox, deposit.reference)[0]["id"]
    sandbox.settle()
    reconcile_now()

    refund.refresh_from_db()
    assert refund.status == "processed"
    assert len(paystack_refunds(sandbox, deposit.reference)) == 1
    assert balances(wallet) == [Decimal("0.00")]
    assert_ledger_consistent()


def test_a_refused_resend_credits_the_wallet_back_once_the_records_confirm_nothing_went_out(
    wallet, card_deposit, sandbox
):
    deposit = card_deposit("1000.00")
    sandbox.fault("/refund", "500", method="POST")  # the first request never reached Paystack
    TransactionService().refund_transaction(transaction=deposit, amount=Decimal("400.00"))
    refund = Refund.objects.get()
    # Meanwhile 700.00 of the charge is refunded from Paystack's dashboard: 400 no longer fits.
    sandbox.api("POST", "/refund", json={"transaction": deposit.reference, "amount": 70_000})

    reconcile_now()  # no 400.00 refund at Paystack: resent, and refused
    refund.refresh_from_db()
    assert (refund.status, refund.paystack_status) == ("pending", REFUSED)
    assert balances(wallet) == [Decimal("600.00")]
    reconcile_now()  # the records still show no 400.00 refund: confirmed, credited back

    refund.refresh_from_db()
    assert refund.status == "failed" and "refused" in refund.failure_reason
    assert [r["amount"] for r in paystack_refunds(sandbox, deposit.reference)] == [70_000]
    assert balances(wallet) == [Decimal("1000.00")]
    assert_ledger_consistent()


def test_a_lost_refund_answer_is_not_resent_while_paystacks_list_cannot_be_read(
    wallet, card_deposit, sandbox
):
    deposit = card_deposit("1000.00")
    refund = refund_with_lost_answer(sandbox, deposit)
    sandbox.fault("/refund", "500", method="GET", times=None)

    report = reconcile_now()

    assert len(report.errors) == 1
    refund.refresh_from_db()
    assert (refund.status, refund.paystack_status) == ("pending", UNCONFIRMED)
    sandbox.clear_faults()
    assert len(paystack_refunds(sandbox, deposit.reference)) == 1
    assert balances(wallet) == [Decimal("600.00")]
