"""Send to bank on its faces: the page (review with the bank's name, fee and PIN; the send;
saved accounts renamed and removed, another customer's a 404) and v1 with Idempotency-Key."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Beneficiary, Transaction, TransactionType
from wallet.services.payouts import reconcile_open_payouts
from wallet.services.payouts.bank_send import beneficiary_for_account

pytestmark = pytest.mark.django_db
PAGE = "/wallet/send/bank/"
V1 = "/wallet/api/v1/"


@pytest.fixture
def saved(sandbox, funded_wallet, synced_banks, payouts_service):
    tx, _ = payouts_service.send_to_bank(
        wallet=funded_wallet, amount="100", bank_code="058", account_number="0123456789"
    )
    sandbox.settle()
    reconcile_open_payouts(payouts_service.paystack, older_than=timedelta(0))
    return Beneficiary.objects.get(wallet=funded_wallet)


def test_the_review_names_the_account_fee_and_total_then_the_send_holds_the_money(
    client_logged_in, sandbox, funded_wallet, synced_banks
):
    form = {"account_number": "0001234567", "bank_code": "058", "amount": "2000", "reason": ""}
    review = client_logged_in.post(PAGE, {**form, "step": "review"})
    page = review.content.decode()
    assert review.status_code == 200
    assert "Doe Jane Loren" in page and "₦10" in page and "₦2,010" in page
    assert balances(funded_wallet) == [Decimal("10000.00")]  # the review moves nothing
    reference = review.context["reference"]
    sent = client_logged_in.post(PAGE, {**form, "step": "send", "reference": reference})
    again = client_logged_in.post(PAGE, {**form, "step": "send", "reference": reference})
    tx = Transaction.objects.get(transaction_type=TransactionType.BANK_SEND)
    assert sent.status_code == 302 and sent["Location"] == f"/wallet/send/bank/{tx.pk}/"
    assert again.status_code == 302 and again["Location"] == sent["Location"]  # sent once
    assert balances(funded_wallet) == [Decimal("7990.00")]
    detail = client_logged_in.get(sent["Location"])
    assert "Doe Jane Loren" in detail.content.decode()
    assert_ledger_consistent()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"account_number": "12345", "bank_code": "058"}, "An account number is 10 digits."),
        ({"account_number": "012345678\u0669", "bank_code": "058"}, "10 digits"),
        ({"account_number": "0123456789", "bank_code": "000999"}, "Choose a bank from the list."),
        ({"account_number": "0123456789", "bank_code": "058", "amount": "abc"}, "amount"),
        ({"account_number": "0123456789", "bank_code": "058", "amount": "60000"}, "first payment"),
    ],
)
def test_bad_input_is_a_clear_422_and_moves_nothing(
    client_logged_in, sandbox, funded_wallet, synced_banks, form, message
):
    response = client_logged_in.post(PAGE, {"amount": "100", **form, "step": "send"})
    assert response.status_code == 422 and message in response.content.decode()
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Beneficiary.objects.exists()


def test_saved_accounts_are_listed_renamed_and_removed_only_by_their_owner(
    client_logged_in, saved, other_user
):
    page = client_logged_in.get(PAGE).content.decode()
    assert saved.account_name in page and "Saved accounts" in page
    renamed = client_logged_in.post(f"{PAGE}accounts/{saved.pk}/rename/", {"nickname": "Mum"})
    saved.refresh_from_db()
    assert renamed.status_code == 302 and saved.nickname == "Mum"
    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.post(f"{PAGE}accounts/{saved.pk}/rename/", {"nickname": "x"}).status_code == 404
    assert stranger.post(f"{PAGE}accounts/{saved.pk}/remove/").status_code == 404
    assert stranger.get(f"{V1}me/beneficiaries/{saved.pk}/").status_code == 404
    removed = client_logged_in.post(f"{PAGE}accounts/{saved.pk}/remove/")
    saved.refresh_from_db()
    assert removed.status_code == 302 and saved.removed_at is not None
    assert "Saved accounts" not in client_logged_in.get(PAGE).content.decode()


def post_json(client, path, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        V1 + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_v1_sends_once_per_idempotency_key(client_logged_in, sandbox, funded_wallet, synced_banks):
    body = {"bank_code": "058", "account_number": "0001234567", "amount": "1500"}
    first = post_json(client_logged_in, "me/bank-sends/", body, key="send-rent-1")
    replay = post_json(client_logged_in, "me/bank-sends/", body, key="send-rent-1")
    assert first.status_code == 201 and replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    assert first.json()["transaction_type"] == "bank_send" and first.json()["fee"] == "10.00"
    assert balances(funded_wallet) == [Decimal("8490.00")]
    detail = client_logged_in.get(f"{V1}me/bank-sends/{first.json()['id']}/")
    assert detail.status_code == 200 and detail.json()["reference"] == first.json()["reference"]
    assert_ledger_consistent()


def test_v1_lists_renames_and_removes_beneficiaries(client_logged_in, saved):
    listed = client_logged_in.get(f"{V1}me/beneficiaries/").json()
    assert [row["id"] for row in listed] == [saved.pk]
    assert listed[0]["account_number"] == "••••6789"
    renamed = client_logged_in.patch(
        f"{V1}me/beneficiaries/{saved.pk}/",
        json.dumps({"nickname": "Landlord"}),
        content_type="application/json",
    )
    assert renamed.json()["nickname"] == "Landlord"
    paid = post_json(
        client_logged_in, "me/bank-sends/", {"beneficiary_id": saved.pk, "amount": "200"}
    )
    assert paid.status_code == 201 and paid.json()["beneficiary_id"] == saved.pk
    assert client_logged_in.delete(f"{V1}me/beneficiaries/{saved.pk}/").status_code == 204
    assert client_logged_in.get(f"{V1}me/beneficiaries/").json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"bank_code": "058", "account_number": "12345", "amount": "100"},
        {"bank_code": "058", "account_number": "０１２３４５６７８９", "amount": "100"},
        {"account_number": "0123456789", "amount": "100"},
        {"bank_code": "000999", "account_number": "0123456789", "amount": "100"},
        {"bank_code": "058", "account_number": "0123456789", "amount": "1e9999"},
    ],
)
def test_v1_bad_input_is_4xx_and_moves_nothing(
    client_logged_in, sandbox, funded_wallet, synced_banks, body
):
    response = post_json(client_logged_in, "me/bank-sends/", body)
    assert 400 <= response.status_code < 500
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Beneficiary.objects.exists()


def test_v1_another_customers_beneficiary_is_404(
    client_logged_in, sandbox, funded_wallet, other_wallet, synced_banks, payouts_service
):
    theirs = beneficiary_for_account(
        payouts_service.paystack, wallet=other_wallet, bank_code="058", account_number="0123456789"
    )
    response = post_json(
        client_logged_in, "me/bank-sends/", {"beneficiary_id": theirs.pk, "amount": "100"}
    )
    assert response.status_code == 404
    assert balances(funded_wallet) == [Decimal("10000.00")]
