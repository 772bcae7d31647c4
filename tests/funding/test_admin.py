"""The back office: every funding list renders; "reprocess" and "refund" call the services,
through their confirmation pages (a reason is required)."""

from decimal import Decimal

import pytest

from tests.wallet.money import balances
from wallet.models import Refund, WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(superuser_client):
    return superuser_client


def test_every_funding_list_renders_for_staff(staff_client):
    for model in (
        "webhookevent",
        "card",
        "refund",
        "refundabledeposit",
        "dedicatedaccount",
        "chargeanomaly",
    ):
        assert staff_client.get(f"/admin/wallet/{model}/").status_code == 200


def test_the_refund_action_refunds_a_card_deposit(staff_client, wallet, paid_charge):
    from wallet.services.wallet_service import WalletService

    service = WalletService()
    checkout = paid_charge(wallet, "600.00")
    deposit = service.process_successful_card_charge(
        service.verify_card_charge(checkout["reference"])
    )[1]

    listed = staff_client.post(
        "/admin/wallet/refundabledeposit/",
        {"action": "refund_deposit", "_selected_action": [deposit.pk]},
    )
    assert listed["Location"] == f"/admin/do/refund_deposit/{deposit.pk}/"
    assert Refund.objects.count() == 0  # nothing moves before the confirmation
    staff_client.post(listed["Location"], {"reason": "Customer changed their mind"})

    assert Refund.objects.get().amount == Decimal("600.00")
    assert balances(wallet) == [Decimal("0.00")]


def test_the_reprocess_action_processes_a_refused_event_again(staff_client, settings, q_sync):
    import json

    from tests.funding.conftest import post_webhook
    from wallet.services.funding.webhooks import signature_for

    body = json.dumps({"event": "charge.success", "data": {"reference": "nobody-1234567890"}})
    post_webhook(staff_client, body, signature_for(body.encode(), settings.PAYSTACK_SECRET_KEY))
    event = WebhookEvent.objects.get()

    staff_client.post(f"/admin/do/reprocess_webhook/{event.pk}/", {"reason": "Fixed the user"})

    event.refresh_from_db()
    assert event.attempts == 2 and event.status == WebhookEvent.Status.REFUSED
