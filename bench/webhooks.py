"""Signed `charge.success` webhooks against gunicorn on PostgreSQL, variants side by side.

    bash .ci/with-postgres.sh .venv/bin/python bench/webhooks.py [--events 1000] [--runs 3] \
        [--variants full-sync,fast-gthread] [--credit-after-acks] [--rate 500]

Each run of each variant (interleaved within a run) creates `--events` pending card deposits
over `--wallets` wallets, starts `gunicorn walletsite.wsgi -w 2` with the variant's worker
class and `WEBHOOK_FAST_PATH`, and `--webhook-workers` webhook workers (`manage.py
process_webhooks`), warms every gunicorn worker up, then POSTs one signed `charge.success` per
deposit (plus `--duplicates` redeliveries of each) from `--clients` threads (pre-signed
requests on plain sockets, bench/webhook_load.py). Production settings: DJANGO_DEBUG=0, so
CONN_MAX_AGE 60.

Prints per run and as the median of the runs: acknowledgements/s, p50/p99 latency, credits/s
end to end (from the first delivery until the workers have credited every deposit), and the
CPU time per acknowledgement of gunicorn, of the client, of PostgreSQL and of the webhook
workers while acknowledging, then per credit of the workers and of PostgreSQL.
`--credit-after-acks` keeps the webhook workers stopped (SIGSTOP) until every delivery is
answered: acknowledgements alone, then credits alone. `--rate` offers a fixed rate (open loop)
instead of sending as fast as answers come. Not a test: it prints numbers.
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
import time
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.webhook_load import CpuMeter, postmaster_pid, send_all  # noqa: E402

SECRET_KEY = "sk_test_bench_webhooks"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")
os.environ["PAYSTACK_SECRET_KEY"] = SECRET_KEY


def setup_django():
    import django

    django.setup()


def prepare_deposits(events, wallet_count):
    """Fresh pending card deposits (what initialize_card_charge leaves behind) -> bodies."""
    from accounts.models import User
    from wallet.models import Transaction
    from wallet.services.ledger.posting import new_reference
    from wallet.services.wallet_service import WalletService

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


GTHREAD = ["-k", "gthread", "--threads", "4", "--keep-alive", "5"]
VARIANTS = {
    # name: (extra environment, gunicorn arguments)
    "full-sync": ({"WEBHOOK_FAST_PATH": "0"}, ["-k", "sync"]),
    "fast-sync": ({"WEBHOOK_FAST_PATH": "1"}, ["-k", "sync"]),
    "full-gthread": ({"WEBHOOK_FAST_PATH": "0"}, GTHREAD),
    "fast-gthread": ({"WEBHOOK_FAST_PATH": "1"}, GTHREAD),
    # psycopg's pool in each process: a pooled connection needs no per-request health check
    "fast-gthread-pool": ({"WEBHOOK_FAST_PATH": "1", "DATABASE_POOL_MAX_SIZE": "4"}, GTHREAD),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--wallets", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duplicates", type=int, default=1, help="redeliveries of each event")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn -w")
    parser.add_argument("--webhook-workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=None, help="process_webhooks --batch")
    parser.add_argument(
        "--variants",
        default="full-sync,fast-gthread",
        help=f"comma-separated, run interleaved in each run: {', '.join(VARIANTS)}",
    )
    parser.add_argument("--client", choices=["raw", "requests"], default="raw")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open loop: offer this many deliveries/s (latency from each one's due time); "
        "default closed loop, as fast as the clients are answered",
    )
    parser.add_argument(
        "--credit-after-acks",
        action="store_true",
        help="start the webhook workers once every delivery is acknowledged: acks alone, then "
        "credits alone (timed from the workers' start, including their start-up)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    variants = args.variants.split(",")
    unknown = [name for name in variants if name not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    queries = queries_per_acknowledgement()
    results = {name: [] for name in variants}
    for run in range(args.runs):
        for name in variants:
            results[name].append(one_run(args, run, name))
    print()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared)")
    loop = f"open loop at {args.rate:.0f}/s" if args.rate else "closed loop"
    print(
        f"gunicorn -w {args.web_workers} + {args.webhook_workers} webhook workers on PostgreSQL; "
        f"{args.events} events x {1 + args.duplicates} deliveries, {args.clients} "
        f"{args.client} clients, {loop}; DEBUG=0, CONN_MAX_AGE "
        f"{server_conn_max_age(settings)}; median of {args.runs} runs"
    )
    for name in variants:
        print_variant(name, results[name])
    print(f"queries per acknowledgement: new event {queries[0]}, redelivery {queries[1]}")


MEASURES = (
    ("acks", "acknowledgements/s"),
    ("p50", "ms ack p50"),
    ("p99", "ms ack p99"),
    ("credits", "credits/s end to end"),
    ("cpu_web", "CPU ms/ack gunicorn"),
    ("cpu_client", "CPU ms/ack client"),
    ("cpu_pg", "CPU ms/ack PostgreSQL"),
    ("cpu_hooks_send", "CPU ms/ack hook workers"),
    ("cpu_credit", "CPU ms/credit workers"),
    ("cpu_pg_credit", "CPU ms/credit PG"),
)


def print_variant(name, results):
    extra_env, gunicorn_args = VARIANTS[name]
    shown_env = " ".join(f"{key}={value}" for key, value in extra_env.items())
    print(f"\n{name}: {shown_env}, gunicorn {' '.join(gunicorn_args)}")
    for key, unit in MEASURES:
        values = [result[key] for result in results]
        shown = ", ".join(f"{value:.1f}" for value in values)
        print(f"  {unit:<26} median {statistics.median(values):8.1f}   (runs: {shown})")


def pause(processes, stopped: bool):
    """SIGSTOP (or SIGCONT) the webhook workers: acknowledgements alone, then credits alone."""
    if stopped or any(process.poll() is None for process in processes):
        for process in processes:
            os.kill(process.pid, signal.SIGSTOP if stopped else signal.SIGCONT)


def wait_until_applied(timeout):
    from wallet.models import WebhookEvent

    deadline = time.monotonic() + timeout
    while WebhookEvent.objects.filter(status__in=["received", "processing"]).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the webhook workers did not apply the warm-up events")
        time.sleep(0.1)


def warm_up(port, web_workers):
    """Signed events no handler uses, so that every gunicorn worker has loaded the URLconf and
    the view (and opened its database connection) before anything is timed."""
    from wallet.services.funding.webhooks import signature_for

    bodies = [
        json.dumps({"event": "bench.warmup", "data": {"id": secrets.token_hex(8)}}).encode()
        for _ in range(60 * web_workers)
    ]
    signed = [(body, signature_for(body, SECRET_KEY)) for body in bodies]
    send_all("127.0.0.1", port, "/wallet/webhook/", signed, 4 * web_workers, "requests")


def server_conn_max_age(settings):
    """CONN_MAX_AGE the servers get: settings say 0 under DEBUG or runserver, else 60 s."""
    return os.environ.get("DATABASE_CONN_MAX_AGE", "60 (default with DJANGO_DEBUG=0)")


def one_run(args, run, variant):
    from wallet.models import Transaction
    from wallet.services.funding.webhooks import signature_for

    extra_env, gunicorn_args = VARIANTS[variant]
    bodies = prepare_deposits(args.events, args.wallets)
    references = [json.loads(body)["data"]["reference"] for body in bodies]
    deliveries = bodies * (1 + args.duplicates)
    random.shuffle(deliveries)
    signed = [(body, signature_for(body, SECRET_KEY)) for body in deliveries]
    env = {**server_env(), **extra_env}
    port = free_port()
    python = sys.executable
    gunicorn = str(Path(python).with_name("gunicorn"))
    web = [gunicorn, "walletsite.wsgi", "-w", str(args.web_workers), "-b", f"127.0.0.1:{port}"]
    processes = [start([*web, *gunicorn_args], env)]
    worker = [python, "manage.py", "process_webhooks"]
    if args.batch:
        worker += ["--batch", str(args.batch)]
    hooks = [start(worker, env) for _ in range(args.webhook_workers)]
    processes += hooks
    meter = CpuMeter(
        {
            "web": [processes[0].pid],
            "client": [os.getpid()],
            "pg": [postmaster_pid()],
            "hooks": [process.pid for process in hooks],
        }
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz")
        warm_up(port, args.web_workers)
        wait_until_applied(timeout=60)  # the warm-up events: the workers are up and idle
        pause(hooks, args.credit_after_acks)
        before = meter.snapshot()
        first_delivery = time.perf_counter()
        latencies, statuses, seconds = send_all(
            "127.0.0.1", port, "/wallet/webhook/", signed, args.clients, args.client, args.rate
        )
        sent = meter.snapshot()
        if args.credit_after_acks:  # credits alone, timed from the workers' resumption
            pause(hooks, False)
            first_delivery = time.perf_counter()
        all_credited = wait_until_credited(references, args.timeout)
        credited_seconds = time.perf_counter() - first_delivery
        done = meter.snapshot()
    finally:
        for process in processes:
            stop(process)
    credited = Transaction.objects.filter(reference__in=references, status="success").count()
    acks = sum(1 for status in statuses if status == 200)
    during_send, whole = CpuMeter.used(before, sent), CpuMeter.used(before, done)
    result = {
        "acks": acks / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "credits": credited / credited_seconds,
        "cpu_web": 1000 * during_send["web"] / len(statuses),
        "cpu_client": 1000 * during_send["client"] / len(statuses),
        "cpu_pg": 1000 * during_send["pg"] / len(statuses),
        "cpu_hooks_send": 1000 * during_send["hooks"] / len(statuses),
        "cpu_credit": 1000 * whole["hooks"] / max(credited, 1),
        "cpu_pg_credit": 1000 * (whole["pg"] - during_send["pg"]) / max(credited, 1),
    }
    state = "all credited" if all_credited else "NOT all credited"
    print(
        f"run {run + 1} {variant}: {result['acks']:.0f} acks/s (p50 {result['p50']:.1f} ms, "
        f"p99 {result['p99']:.1f} ms, {acks}/{len(statuses)} answered 200); {state}: "
        f"{credited}/{len(references)} in {credited_seconds:.1f} s = "
        f"{result['credits']:.0f} credits/s end to end; CPU ms/ack web "
        f"{result['cpu_web']:.2f}, client {result['cpu_client']:.2f}, PostgreSQL "
        f"{result['cpu_pg']:.2f}",
        flush=True,
    )
    return result


def queries_per_acknowledgement():
    """(new event, redelivery): the statements one acknowledgement sends, counted in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from wallet.services.funding.webhooks import signature_for

    body = prepare_deposits(1, 1)[0]
    headers = {"HTTP_X_PAYSTACK_SIGNATURE": signature_for(body, SECRET_KEY)}
    counts = []
    with override_settings(PAYSTACK_SECRET_KEY=SECRET_KEY):
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                answer = Client().generic(
                    "POST", "/wallet/webhook/", body, content_type="application/json", **headers
                )
            assert answer.status_code == 200, answer.content
            counts.append(len(captured.captured_queries))
    return counts


if __name__ == "__main__":
    main()
