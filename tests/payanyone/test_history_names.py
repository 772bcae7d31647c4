"""History rows and receipts (page, image, PDF) name each new kind: "To GTBank ••••4567 (NAME)",
"Requested by @bola", "Paid by link (payer's name)"."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from tests.funding.conftest import SUCCESS_CARD
from wallet.models import LinkPayment, Transaction, TransactionType
from wallet.services.payouts import reconcile_open_payouts
from wallet.services.requests.operations import create_request, pay_request
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture
def bola(make_user):
    user = make_user(email="bola@example.com", handle="bola", first_name="Bola", last_name="Ade")
    return WalletService().get_wallet(user)


def test_history_and_receipts_name_each_new_kind(
    client, sandbox, funded_wallet, synced_banks, payouts_service, bola, q_sync
):
    funded_wallet.user.handle = "ada"
    funded_wallet.user.save(update_fields=["handle"])
    sent, _ = payouts_service.send_to_bank(
        wallet=funded_wallet, amount="1000", bank_code="058", account_number="0001234567"
    )
    sandbox.settle()
    reconcile_open_payouts(payouts_service.paystack, older_than=timedelta(0))
    asked = create_request(requester=bola, payer=funded_wallet, amount="300")
    paid = pay_request(WalletService().transfer, request_id=asked.pk, payer=funded_wallet)
    started = client.post(
        "/pay/@ada/", {"amount": "700", "payer_name": "Chidi Obi", "payer_email": "c@example.org"}
    )
    sandbox.complete_checkout(started["Location"], card=SUCCESS_CARD)
    link_tx = LinkPayment.objects.get().transaction
    client.get(f"/pay/done/?reference={link_tx.reference}")

    owner = Client()
    owner.force_login(funded_wallet.user)
    history = owner.get("/wallet/transactions/").content.decode()
    expected = {
        sent.pk: "To Guaranty Trust Bank ••••4567 (Doe Jane Loren)",
        paid.pk: "Requested by @bola",
        link_tx.pk: "Paid by link (Chidi Obi)",
    }
    for pk, title in expected.items():
        assert title in history
        assert title in owner.get(f"/wallet/transactions/{pk}/").content.decode()
        assert owner.get(f"/wallet/transactions/{pk}/receipt.png").status_code == 200
        assert owner.get(f"/wallet/transactions/{pk}/receipt.pdf").status_code == 200
    assert Transaction.objects.get(pk=sent.pk).transaction_type == TransactionType.BANK_SEND
    assert Decimal(owner.get("/wallet/api/v1/me/balance/").json()["balance"]) > 0
