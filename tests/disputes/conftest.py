"""Disputes on card deposits: a deposit paid at the sandbox and credited, a dispute raised on
it at the sandbox, and its webhooks delivered to the site (django-q2 inline)."""

from decimal import Decimal

import pytest
import requests
from django.db.models import Sum

from tests.funding.conftest import (  # noqa: F401  (fixtures used by this package's tests)
    card_deposit,
    delivery,
    paid_charge,
    post_webhook,
    q_sync,
    start_charge,
)
from wallet.models import LedgerEntry, SystemAccount

ZERO = Decimal("0.00")

EVIDENCE = {
    "customer_email": "alice@example.com",
    "customer_name": "Alice Adeyemi",
    "customer_phone": "08012345678",
    "service_details": "wallet top-up",
}


def system_balance(account) -> Decimal:
    rows = LedgerEntry.objects.filter(system_account=account)
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def held_total():
    return system_balance(SystemAccount.DISPUTES_HELD)


def exposure_total():
    """What customers' wallets did not cover and nobody has settled yet (a positive amount)."""
    return -system_balance(SystemAccount.DISPUTE_EXPOSURE)


def losses_total():
    return -system_balance(SystemAccount.DISPUTE_LOSSES)


class DisputeDriver:
    """Raise and resolve disputes at the sandbox, and deliver their webhooks to the site."""

    def __init__(self, sandbox, client, delivery):  # noqa: F811
        self.sandbox, self.client, self.delivery = sandbox, client, delivery

    def open(self, deposit, **extra):
        return self.sandbox.raise_dispute(deposit.reference, **extra)

    def deliver(self, event, reference, times=1):
        found = self.delivery(event, reference)
        for _ in range(times):
            response = post_webhook(self.client, found["body"], found["signature"])
            assert response.status_code == 200, response.content
        return found["payload"]["data"]

    def upload(self, dispute_id):
        data = self.sandbox.api("GET", f"/dispute/{dispute_id}/upload_url").json()["data"]
        requests.put(data["signedUrl"], data=b"%PDF receipt", timeout=10).raise_for_status()
        return data["fileName"]

    def resolve(self, dispute, *, won, refund_amount=None):
        if won:
            self.sandbox.api("POST", f"/dispute/{dispute['id']}/evidence", json=EVIDENCE)
        body = {
            "resolution": "declined" if won else "merchant-accepted",
            "message": "Resolved in a test",
            "refund_amount": refund_amount or dispute["refund_amount"],
            "uploaded_filename": self.upload(dispute["id"]),
        }
        answer = self.sandbox.api("PUT", f"/dispute/{dispute['id']}/resolve", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]


@pytest.fixture
def disputes(sandbox, client, delivery, q_sync):  # noqa: F811
    return DisputeDriver(sandbox, client, delivery)
