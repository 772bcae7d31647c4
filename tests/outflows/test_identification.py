"""Tier upgrades through the sandbox's customer identification: a verified BVN raises the tier,
a failed one does not, and both are recorded; the BVN is never kept or logged in full."""

import datetime as dt
import logging

import pytest
from django.test import Client

from tests.factories import make_user
from tests.funding.conftest import post_webhook
from wallet.exceptions import WalletError
from wallet.models import CustomerIdentification, TierChange
from wallet.services.outflows.identification import (
    decide_identification,
    request_bvn_identification,
    request_nin_review,
)
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)

BIRTHDAY = dt.date(1991, 4, 12)
Status = CustomerIdentification.Status


def ask(wallet, bank_account, bvn):
    return request_bvn_identification(
        WalletService().paystack,
        wallet=wallet,
        bvn=bvn,
        date_of_birth=BIRTHDAY,
        bank_account=bank_account,
    )


def deliver(delivery, event, identification):
    sent = delivery(event, identification.customer_code)
    assert post_webhook(Client(), sent["body"], sent["signature"]).status_code == 200
    identification.refresh_from_db()
    identification.wallet.refresh_from_db()
    return identification


def test_a_verified_bvn_moves_the_wallet_to_tier_2_and_is_recorded(
    funded_wallet, bank_account, delivery, q_sync, caplog
):
    caplog.set_level(logging.DEBUG)
    requested = ask(funded_wallet, bank_account, "22212345678")
    assert requested.status == Status.PENDING and funded_wallet.tier == 1

    done = deliver(delivery, "customeridentification.success", requested)

    assert done.status == Status.SUCCESS and done.decided_at is not None
    assert done.wallet.tier == 2
    change = TierChange.objects.get(wallet=funded_wallet)
    assert (change.from_level, change.to_level, change.source) == (1, 2, "identification")
    assert done.number_last4 == "5678"
    assert "22212345678" not in caplog.text
    stored = CustomerIdentification.objects.values().get(pk=done.pk)
    assert "22212345678" not in str(stored)


def test_a_failed_bvn_leaves_the_tier_and_records_why(
    funded_wallet, bank_account, delivery, q_sync
):
    requested = ask(funded_wallet, bank_account, "00000000000")

    done = deliver(delivery, "customeridentification.failed", requested)

    assert done.status == Status.FAILED
    assert done.reason == "Account number or BVN is incorrect"
    assert done.wallet.tier == 1
    assert not TierChange.objects.exists()


def test_bad_bvn_input_is_refused_before_paystack(funded_wallet, bank_account):
    for bad in ("2221234567", "2221234567a", "", "２２２１２３４５６７８"):
        with pytest.raises(WalletError, match="11 digits"):
            ask(funded_wallet, bank_account, bad)
    assert not CustomerIdentification.objects.exists()


def test_a_nin_is_reviewed_by_staff_who_give_a_reason(funded_wallet):
    requested = request_nin_review(wallet=funded_wallet, nin="12345678901")
    clerk = make_user(email="clerk@example.com", is_staff=True)
    with pytest.raises(Exception, match="may not"):
        decide_identification(requested, approve=True, by=clerk, reason="Looks fine")
    manager = make_user(email="kyc@example.com", is_staff=True, is_superuser=True)
    with pytest.raises(WalletError, match="reason"):
        decide_identification(requested, approve=True, by=manager, reason=" ")
    decide_identification(requested, approve=True, by=manager, reason="NIN matches ID card")
    funded_wallet.refresh_from_db()
    assert funded_wallet.tier == 3
    change = TierChange.objects.get()
    assert (change.changed_by, change.reason) == (manager, "NIN matches ID card")


def test_the_limits_page_sends_a_bvn_and_shows_it_masked(
    client_logged_in, funded_wallet, bank_account
):
    page = client_logged_in.get("/wallet/limits/").content.decode()
    assert "Upgrade to Tier 2" in page and "BVN (11 digits)" in page
    response = client_logged_in.post(
        "/wallet/limits/",
        {
            "kind": "bvn",
            "bvn": "22212345678",
            "date_of_birth": "1991-04-12",
            "bank_account": bank_account.pk,
        },
    )
    assert response.status_code == 302
    page = client_logged_in.get("/wallet/limits/").content.decode()
    assert "BVN ••••5678 for Tier 2" in page and "22212345678" not in page
    bad = client_logged_in.post(
        "/wallet/limits/",
        {
            "kind": "bvn",
            "bvn": "123",
            "date_of_birth": "1991-04-12",
            "bank_account": bank_account.pk,
        },
    )
    assert bad.status_code == 422 and b"11 digits" in bad.content
