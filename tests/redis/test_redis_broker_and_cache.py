"""Redis as broker and cache (REDIS_URL): a real gunicorn, qcluster and webhook worker, all
started with REDIS_URL, against the test database and the sandbox. A transfer, a card top-up
credited by its webhook, and a payout paid out by the worker all complete, through Redis: the
tasks are queued there (none in the database queue), the API throttles count there, and the
worker's heartbeat is read from there by /healthz."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest
import redis
import requests
from django_q.models import OrmQ

from tests.payouts.conftest import SUCCEEDS
from tests.test_foundation_health import database_url_of_test_database
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Payout, Transaction, TransactionStatus, WebhookEvent
from wallet.services.api_tokens import issue_token
from wallet.services.outflows.pin import set_first_pin

BASE_DIR = Path(__file__).resolve().parents[2]
PIN = "2468"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Deployment:
    """gunicorn (2 workers), a qcluster and a webhook worker sharing one REDIS_URL; logs under
    a temporary directory."""

    def __init__(self, redis_url, sandbox, directory):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = Path(directory)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DATABASE_URL": database_url_of_test_database(),
            "REDIS_URL": redis_url,
            "PAYSTACK_BASE_URL": sandbox.base_url,
            "PAYSTACK_SECRET_KEY": sandbox.secret_key,
            "SITE_URL": self.url,
            "Q_WORKERS": "2",
            "Q_GUARD_CYCLE": "0.5",
        }
        self.processes = []

    def start(self, name, *command):
        log = open(self.directory / f"{name}.log", "w")  # noqa: SIM115 (closed at exit)
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append((name, process, log))

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.start(
            "web", str(gunicorn), "walletsite.wsgi", "-w", "2", "-b", f"127.0.0.1:{self.port}"
        )
        self.start("worker", sys.executable, "manage.py", "qcluster")
        self.start("webhooks", sys.executable, "manage.py", "process_webhooks")
        wait_for(self._answers, timeout=60, what="gunicorn")
        return self

    def _answers(self):
        try:
            return requests.get(f"{self.url}/healthz", timeout=5).status_code in (200, 503)
        except requests.RequestException:
            return False

    def logs(self):
        return "\n".join(
            f"--- {name}\n{(self.directory / f'{name}.log').read_text()[-3000:]}"
            for name, _, _ in self.processes
        )

    def __exit__(self, *exc):
        for _, process, _ in self.processes:
            process.send_signal(signal.SIGTERM)
        for _, process, log in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def status_of(model, **lookup):
    row = model.objects.filter(**lookup).first()
    return row.status if row else None


@pytest.mark.django_db(transaction=True)
def test_transfer_webhook_credit_and_payout_run_through_the_redis_broker_and_cache(
    redis_url, sandbox, user, funded_wallet, other_wallet, add_account
):
    bank_account = add_account(funded_wallet, account_number=SUCCEEDS)
    set_first_pin(user, PIN)
    _, secret = issue_token(user=user, name="redis test", scope="money")
    broker = redis.Redis.from_url(redis_url)

    with tempfile.TemporaryDirectory(prefix="wallet-redis-run-") as directory:
        with Deployment(redis_url, sandbox, directory) as site:
            sandbox.configure(webhook_url=f"{site.url}/wallet/webhook/")
            api = requests.Session()
            api.headers["Authorization"] = f"Bearer {secret}"
            v1 = f"{site.url}/wallet/api/v1/"

            sent = api.post(
                v1 + "me/transfers/",
                json={"recipient": other_wallet.public_code, "amount": "100", "pin": PIN},
            )
            assert sent.status_code == 201, sent.text

            started = api.post(v1 + "me/deposits/", json={"amount": "2500"}).json()
            assert sandbox.complete_checkout(started["authorization_url"]) == "success"
            reference = started["reference"]
            wait_for(
                lambda: status_of(Transaction, reference=reference) == TransactionStatus.SUCCESS,
                what=f"the webhook to credit the deposit\n{site.logs()}",
            )

            withdrawn = api.post(
                v1 + "me/withdrawals/",
                json={"bank_account_id": bank_account.pk, "amount": "1000", "pin": PIN},
            )
            assert withdrawn.status_code == 201, withdrawn.text
            payout_tx = withdrawn.json()["id"]
            wait_for(
                lambda: status_of(Transaction, pk=payout_tx) == TransactionStatus.SUCCESS,
                what=f"the payout to be paid\n{site.logs()}",
            )
            health = requests.get(f"{site.url}/healthz", timeout=5)

    # The money: 10,000 - 100 sent + 2,500 topped up - 1,000 withdrawn - 10 fee.
    assert balances(funded_wallet, other_wallet) == [Decimal("11390.00"), Decimal("100.00")]
    assert Payout.objects.get(transaction_id=payout_tx).status == "success"
    assert WebhookEvent.objects.filter(event="charge.success", status="processed").count() == 1
    assert WebhookEvent.objects.filter(event="transfer.success", status="processed").count() == 1
    assert_ledger_consistent()
    # Through Redis: tasks (the payout's) were pushed onto its list, none into the database
    # queue; the throttles counted in the cache database; /healthz read the heartbeat there.
    assert OrmQ.objects.count() == 0
    assert broker.info("commandstats")["cmdstat_rpush"]["calls"] >= 1
    throttles = redis.Redis.from_url(redis_url.rsplit("/", 1)[0] + "/1").keys("*throttle_money*")
    assert len(throttles) >= 3
    assert health.status_code == 200, health.json()
    assert health.json()["worker"] == "ok"
