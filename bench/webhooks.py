"""Signed `charge.success` webhooks against gunicorn (2 workers) on PostgreSQL.

    bash .ci/with-postgres.sh .venv/bin/python bench/webhooks.py [--events 2000] [--clients 16]

Creates `--events` pending card deposits spread over `--wallets` wallets, starts
`gunicorn walletsite.wsgi -w 2` and a django-q2 `qcluster`, then POSTs one signed
`charge.success` per deposit (plus `--duplicates` redeliveries of each) from `--clients`
threads. Prints acknowledgements/s, p50/p99 acknowledgement latency, and the time from the
first delivery until the worker has credited every deposit. Not a test: it prints numbers.
"""

import argparse
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET_KEY = "sk_test_bench_webhooks"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")
os.environ["PAYSTACK_SECRET_KEY"] = SECRET_KEY


def setup_django():
    import django

    django.setup()


def prepare_deposits(events, wallet_count):
    """Fresh pending card deposits (what initialize_card_charge leaves behind) -> bodies."""
    from django.core.management import call_command

    from accounts.models import User
    from wallet.models import Transaction
    from wallet.services.ledger.posting import new_reference
    from wallet.services.wallet_service import WalletService

    call_command("migrate", verbosity=0)
    service = WalletService()
    wallets = []
    for index in range(wallet_count):
        user, _ = User.objects.get_or_create(email=f"hook{index}@example.com")
        wallets.append(service.get_wallet(user))
    rows = [
        Transaction(
            wallet=random.choice(wallets),
            reference=new_reference("bench"),
            transaction_type="deposit",
            direction="credit",
            status="pending",
            amount=Decimal(random.randint(100, 50_000)),
            currency="NGN",
            channel="card",
            description="Card deposit",
        )
        for _ in range(events)
    ]
    Transaction.objects.bulk_create(rows, batch_size=500)
    return [charge_success_body(tx) for tx in rows]


def charge_success_body(tx):
    kobo = int(tx.amount * 100)
    data = {
        "id": random.randint(10**9, 10**10),
        "domain": "test",
        "status": "success",
        "reference": tx.reference,
        "amount": kobo,
        "currency": "NGN",
        "channel": "card",
        "gateway_response": "Successful",
        "fees": min(kobo * 15 // 1000, 200_000),
        "paid_at": "2026-11-27T01:00:00.000Z",
        "authorization": {
            "authorization_code": "AUTH_" + secrets.token_hex(5),
            "bin": "408408",
            "last4": "4081",
            "exp_month": "12",
            "exp_year": "2030",
            "channel": "card",
            "card_type": "visa ",
            "bank": "TEST BANK",
            "brand": "visa",
            "reusable": True,
            "signature": "SIG_bench_" + str(tx.wallet_id),
        },
        "customer": {"email": f"hook{tx.wallet_id}@example.com"},
    }
    return json.dumps({"event": "charge.success", "data": data}, separators=(",", ":")).encode()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env():
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "PAYSTACK_SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }


def start(args, env):
    """A server process in its own process group (so its children stop with it)."""
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process):
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for_http(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def send_all(url, bodies, clients):
    """POST every body from `clients` threads; returns (latencies in s, statuses, seconds)."""
    from wallet.services.funding.webhooks import signature_for

    queue = list(reversed(bodies))
    lock = threading.Lock()
    latencies, statuses = [], []

    def client():
        session = requests.Session()
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            headers = {
                "Content-Type": "application/json",
                "x-paystack-signature": signature_for(body, SECRET_KEY),
            }
            started = time.perf_counter()
            response = session.post(url, data=body, headers=headers, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(response.status_code)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def wait_until_credited(references, timeout):
    from wallet.models import Transaction

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = Transaction.objects.filter(reference__in=references, status="pending").count()
        if left == 0:
            return True
        time.sleep(0.2)
    return False


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--wallets", type=int, default=50)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duplicates", type=int, default=1, help="redeliveries of each event")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    setup_django()
    from wallet.models import Transaction, WebhookEvent

    bodies = prepare_deposits(args.events, args.wallets)
    references = [json.loads(body)["data"]["reference"] for body in bodies]
    deliveries = bodies * (1 + args.duplicates)
    random.shuffle(deliveries)
    env = server_env()
    port = free_port()
    python = sys.executable
    gunicorn = str(Path(python).with_name("gunicorn"))
    web = start([gunicorn, "walletsite.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"], env)
    worker = start([python, "manage.py", "qcluster"], env)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz")
        first_delivery = time.perf_counter()
        latencies, statuses, seconds = send_all(
            f"http://127.0.0.1:{port}/wallet/webhook/", deliveries, args.clients
        )
        report(args, latencies, statuses, seconds)
        all_credited = wait_until_credited(references, args.timeout)
        credited_seconds = time.perf_counter() - first_delivery
    finally:
        for process in (web, worker):
            stop(process)
    credited = Transaction.objects.filter(reference__in=references, status="success").count()
    events = WebhookEvent.objects.filter(event_key__isnull=False).count()
    state = "all credited" if all_credited else "NOT all credited"
    print(
        f"{state} after {credited_seconds:.1f} s from the first delivery "
        f"({credited}/{len(references)} deposits, {events} stored events, "
        f"{credited / credited_seconds:.0f} credits/s end to end)"
    )


def report(args, latencies, statuses, seconds):
    acks = sum(1 for status in statuses if status == 200)
    print(f"machine: {os.cpu_count()} cores; gunicorn -w 2 + qcluster (2 workers) on PostgreSQL")
    print(
        f"deliveries: {len(statuses)} ({args.events} events x {1 + args.duplicates}), "
        f"{args.clients} client threads, {acks} acknowledged 200"
    )
    print(f"acknowledgements/s: {acks / seconds:.0f}", flush=True)
    print(
        f"ack latency: p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms",
        flush=True,
    )


if __name__ == "__main__":
    main()
