"""The real path: the webhook view records the event (one INSERT) and a separate webhook worker
process (`manage.py process_webhooks`) claims and credits it."""

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from tests.funding.conftest import post_webhook
from tests.wallet.money import balances
from wallet.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def webhook_worker():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "WEBHOOK_WORKER_POLL": "0.1"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "process_webhooks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_stored_webhook_is_credited_by_the_webhook_worker(
    client, wallet, paid_charge, delivery, webhook_worker
):
    checkout = paid_charge(wallet, "900.00")
    sent = delivery("charge.success", checkout["reference"])

    response = post_webhook(client, sent["body"], sent["signature"])

    assert response.status_code == 200
    assert wait_until(lambda: balances(wallet) == [Decimal("900.00")])
    # The worker credits, then records the event's outcome (and its customer) a moment later.
    assert wait_until(lambda: WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED)
    assert WebhookEvent.objects.get().customer_id == wallet.user_id
