"""Staff words stay with staff (issue 19): an adjustment requested with a reason and approved
with a note, and a transfer reversed with a reason, show the customer only the fixed words the
action chose, on every customer surface: pages, receipts (HTML, and the facts the PNG and PDF
are drawn from), the CSV export, the statement, both APIs and e-mails."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.v1.conftest import token_api
from wallet import selectors
from wallet.models import Transaction
from wallet.services.backoffice import actions, approvals
from wallet.templatetags.wallet_web import customer_description
from wallet.views.receipts import receipt_facts

pytestmark = pytest.mark.django_db

REASON = "Ticket OPS-77: Kemi says the customer shouted"
NOTE = "Checked by Tunde, internal only"
STAFF_WORDS = ("OPS-77", "Kemi", "Tunde", "internal only", "shouted")


@pytest.fixture
def staff_rows(make_staff, funded_wallet, other_wallet, transfer):
    request = actions.perform(
        actor=make_staff("Finance"), name="adjust_balance", target=funded_wallet,
        raw={"direction": "credit", "amount": "250.00", "account": "platform"}, reason=REASON,
    ).approval  # fmt: skip
    approvals.approve(request=request, checker=make_staff("Finance"), note=NOTE)
    sent = transfer("300.00")
    actions.perform(
        actor=make_staff(superuser=True), name="reverse_transfer", target=sent, raw={},
        reason=REASON,
    )  # fmt: skip
    return Transaction.objects.filter(transaction_type__in=["adjustment", "reversal"])


def surfaces(wallet, rows):
    """Every text a customer can get about their money rows."""
    user, client = wallet.user, Client()
    client.force_login(user)
    today = timezone.localdate()
    texts = [
        client.get("/wallet/").content.decode(),
        client.get("/wallet/transactions/").content.decode(),
        b"".join(client.get("/wallet/transactions/export.csv").streaming_content).decode(),
    ]
    for tx in rows:
        texts.append(client.get(f"/wallet/transactions/{tx.pk}/").content.decode())
        for kind in ("png", "pdf"):
            assert client.get(f"/wallet/transactions/{tx.pk}/receipt.{kind}").status_code == 200
        facts = receipt_facts(tx, user)
        texts.append(repr(facts))
    statement = selectors.statement_for_period(
        wallet=wallet, start=today - dt.timedelta(days=1), end=today,
    )  # fmt: skip
    texts.extend(customer_description(tx) for tx in statement.transactions)
    api = token_api(user, scope="read")
    listing = api.get("me/transactions/")
    assert listing.status_code == 200
    texts.append(listing.content.decode())
    for tx in rows:
        texts.append(api.get(f"me/transactions/{tx.pk}/").content.decode())
        texts.append(api.get(f"me/transactions/{tx.pk}/receipt/").content.decode())
    return texts


def test_no_staff_reason_or_note_reaches_either_customer(staff_rows, mailoutbox):
    assert staff_rows.count() == 3  # the adjustment and a reversal row for each customer
    for wallet in {row.wallet for row in staff_rows}:
        mine = [row for row in staff_rows if row.wallet_id == wallet.pk]
        texts = surfaces(wallet, mine)
        for text in texts:
            for words in STAFF_WORDS:
                assert words not in text
        for row in mine:  # the surfaces did show the rows, in the action's words
            assert sum(row.description in text for text in texts) >= 3, row.description
    for message in mailoutbox:
        for words in STAFF_WORDS:
            assert words not in message.body and words not in message.subject


def test_the_customer_reads_the_words_the_action_chose(staff_rows):
    adjustment = staff_rows.get(transaction_type="adjustment")
    assert adjustment.description == "Correction from Paystack Wallet"
    assert adjustment.amount == Decimal("250.00")
    assert {r.description for r in staff_rows.filter(transaction_type="reversal")} == {
        "Transfer reversed"
    }
    assert REASON in adjustment.metadata["reason"]  # kept for staff, beside the row


def test_the_migration_rewrites_old_rows_that_carry_staff_words(staff_rows):
    import importlib

    from django.apps import apps

    Transaction.objects.filter(transaction_type="adjustment").update(
        description=f"Adjustment: {REASON} — approved: {NOTE}"
    )
    Transaction.objects.filter(transaction_type="reversal").update(
        description=f"Reversal of T-1: {REASON}"
    )
    importlib.import_module("wallet.migrations.0023_staff_controls").fixed_words(apps, None)
    descriptions = set(staff_rows.values_list("description", flat=True))
    assert descriptions == {"Correction from Paystack Wallet", "Transfer reversed"}
