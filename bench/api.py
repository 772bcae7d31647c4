"""Transfers through the JSON API (POST /wallet/api/v1/me/transfers/ with a money token)
against gunicorn on PostgreSQL, 8 client threads, next to pgbench's TPC-B-like in the same run.

    bash .ci/with-postgres.sh .venv/bin/python bench/api.py [--clients 8] [--transfers 2000]

Each client thread is one customer with its own API token, sending to random others. Three
configurations, interleaved `--runs` times, show where the time goes beyond the service call:
  full            token auth + money throttles (per user, token, IP) + Idempotency-Key
  no key          the same without the Idempotency-Key header
  no key, no throttles   WALLET_API_MONEY_RATE_*=0 as well
plus, on the "full" server of each run, a bare token-authenticated read (GET me/balance/, same
clients, same count) as the yardstick; the service call alone (bench/transfers.py's path,
in-process, same client count); and the queries one API transfer and one read cost, counted
in-process. `--redis` starts a throwaway redis-server and runs everything with REDIS_URL
(throttles in Redis, as production should). Prints medians; asserts nothing.

Rates on a shared machine move with other people's load; the CPU each request cost (the
gunicorn processes' and PostgreSQL's, read from /proc around each phase) moves much less, so
it is printed too, per configuration: that is what says where the time goes. Each new server
is warmed first (`--warm-up` untimed transfers and reads per client).
"""

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")

from bench.transfers import (  # noqa: E402
    percentile,
    prepare_pgbench,
    prepare_wallets,
    run_pgbench,
    run_transfers,
)
from bench.webhook_load import CpuMeter, postmaster_pid  # noqa: E402

TRANSFERS = "/wallet/api/v1/me/transfers/"
BALANCE = "/wallet/api/v1/me/balance/"
CONFIGURATIONS = {
    "full": {"key": True, "throttles": True},
    "no key": {"key": False, "throttles": True},
    "no key, no throttles": {"key": False, "throttles": False},
}


PIN = "2468"
# The servers' key: PINs are keyed with SECRET_KEY, so they are stored under the same one.
SERVER_SECRET_KEY = "bench-" + "x" * 50


def make_tokens(wallet_ids):
    """wallet id -> (the owner's money token, the wallet's code); each owner has PIN 2468, so
    every transfer pays the PIN check as a customer's does."""
    from django.test.utils import override_settings

    from wallet.models import TransactionPin, Wallet
    from wallet.services.api_tokens import issue_token
    from wallet.services.outflows.pin import set_first_pin

    owners = Wallet.objects.filter(pk__in=wallet_ids).select_related("user")
    TransactionPin.objects.filter(user__wallets__in=owners).delete()
    tokens = {}
    for wallet in owners:
        with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
            set_first_pin(wallet.user, PIN)
        secret = issue_token(user=wallet.user, name="bench", scope="money")[1]
        tokens[wallet.pk] = (secret, wallet.public_id)
    return tokens


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measured_cpu(roots, phase, *args):
    """Run `phase(*args)`; its result and the CPU seconds each root's tree used meanwhile."""
    meter = CpuMeter({index: [root] for index, root in enumerate(roots) if root})
    before = meter.snapshot()
    result = phase(*args)
    used = CpuMeter.used(before, meter.snapshot())
    return result, [used.get(index, 0.0) for index in range(len(roots))]


def start_gunicorn(port, workers, throttles, worker_options=()):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    limit = "100000/m" if throttles else "0"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SERVER_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "WALLET_API_MONEY_RATE_USER": limit,
        "WALLET_API_MONEY_RATE_TOKEN": limit,
        "WALLET_API_MONEY_RATE_IP": limit,
    }
    command = [gunicorn, "walletsite.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning", *worker_options]
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "bench-api-gunicorn.log", "a")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:  # an unauthenticated API read: answered (401) as soon as a worker is up
            requests.get(f"http://127.0.0.1:{port}/wallet/api/v1/me/", timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.2)
    stop(process)
    sys.exit("gunicorn did not start")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def client_thread(base, secret, own, others, count, with_key, seed, latencies, failures):
    session, rng = requests.Session(), random.Random(seed)
    session.headers["Authorization"] = f"Bearer {secret}"
    for _ in range(count):
        amount = f"{rng.randint(100, 5000) / 100}"
        body = {"recipient": rng.choice(others), "amount": amount, "pin": PIN}
        headers = {"Idempotency-Key": str(uuid.uuid4())} if with_key else {}
        started = time.perf_counter()
        response = session.post(base + TRANSFERS, json=body, headers=headers, timeout=30)
        latencies.append(time.perf_counter() - started)
        if response.status_code != 201:
            failures.append(response.status_code)


def reader_thread(base, secret, count, latencies, failures):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(base + BALANCE, timeout=30)
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            failures.append(response.status_code)


def run_reads(base, tokens, clients, requests_count):
    """The bare token-authenticated v1 GET, from the same number of clients."""
    latencies, failures = [], []
    threads = [
        threading.Thread(
            target=reader_thread,
            args=(base, tokens[own][0], requests_count // clients, latencies, failures),
        )
        for own in list(tokens)[:clients]
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), sorted(latencies), failures


def run_api(base, tokens, clients, transfers, with_key, seed):
    senders = list(tokens)[:clients]
    latencies, failures, threads = [], [], []
    for index, own in enumerate(senders):
        others = [code for pk, (_, code) in tokens.items() if pk != own]
        args = (base, tokens[own][0], own, others, transfers // clients, with_key, seed + index)
        threads.append(threading.Thread(target=client_thread, args=(*args, latencies, failures)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, sorted(latencies), failures


def warm_up(base, tokens, clients, count, seed):
    """Untimed transfers and reads from every client first, so that each gunicorn worker has
    done its lazy first-request work (imports, URL resolver, connections) before the clock
    starts; otherwise whichever phase comes first on a new server pays for all of it."""
    run_api(base, tokens, clients, count * clients, True, seed)
    run_reads(base, tokens, clients, count * clients)


def queries_per_transfer(tokens):
    """What one API transfer asks of the database, by part, counted in-process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    own, other = list(tokens)[:2]
    client = Client(headers={"Authorization": f"Bearer {tokens[own][0]}"})
    body = {"recipient": tokens[other][1], "amount": "1.00", "pin": PIN}
    counts = {}
    # The cache the servers use (Redis with --redis, else production's database cache), so
    # throttle queries count too.
    database_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}
    caches = {**settings.CACHES, "default": {**database_cache, "LOCATION": "django_cache"}}
    if os.environ.get("REDIS_URL"):
        caches = settings.CACHES
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):  # the key the PINs were stored with
        first = client.post(TRANSFERS, body, "application/json")
        assert first.status_code == 201, (first.status_code, first.content[:300])
        for label, headers in (
            ("with Idempotency-Key", {"Idempotency-Key": "q-1"}),
            ("without", {}),
        ):
            with override_settings(CACHES=caches), CaptureQueriesContext(connection) as captured:
                answer = client.post(
                    TRANSFERS, body, content_type="application/json", headers=headers
                )
                assert answer.status_code == 201, (answer.status_code, answer.content[:300])
            counts[label] = [query["sql"] for query in captured.captured_queries]
        with override_settings(CACHES=caches), CaptureQueriesContext(connection) as captured:
            assert client.get(BALANCE).status_code == 200
        counts["bare GET me/balance/"] = [query["sql"] for query in captured.captured_queries]
    return counts


def summarise(sql):
    parts = {"token lookup": 0, "throttle cache": 0, "idempotency key": 0, "wallet": 0, "other": 0}
    for statement in sql:
        if "wallet_apitoken" in statement:
            parts["token lookup"] += 1
        elif "django_cache" in statement:
            parts["throttle cache"] += 1
        elif "wallet_idempotencykey" in statement:
            parts["idempotency key"] += 1
        elif "wallet_transfer" in statement or "wallet_wallet" in statement:
            parts["wallet"] += 1
        else:
            parts["other"] += 1
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--transfers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="1: sync workers; >1: gthread with this many"
    )
    parser.add_argument(
        "--warm-up", type=int, default=10, help="untimed transfers and reads per client first"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pgbench-seconds", type=int, default=10, help="pgbench, and the service call alone"
    )
    parser.add_argument("--redis", action="store_true", help="a throwaway Redis: REDIS_URL")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run on PostgreSQL: bash .ci/with-postgres.sh .venv/bin/python bench/api.py")
    if options.redis:
        with tempfile.TemporaryDirectory(prefix="bench-redis-") as directory:
            from tests.fixtures.redis import start_redis_server

            redis_server, url = start_redis_server(Path(directory))
            os.environ["REDIS_URL"] = f"{url}/0"  # servers and this process alike
            try:
                bench(options)
            finally:
                redis_server.terminate()
                redis_server.wait()
        return
    bench(options)


def bench(options):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    wallet_ids = prepare_wallets(max(options.clients * 2, 20))
    # The production cache table (DEBUG=0): migrate made only the ones this process configures.
    call_command("createcachetable", "django_cache", verbosity=0)
    tokens = make_tokens(wallet_ids)
    parts = {label: summarise(sql) for label, sql in queries_per_transfer(tokens).items()}
    connections.close_all()

    measured, cpu = {}, {}
    postgres = postmaster_pid()
    connections.close_all()
    # Explicit either way: gunicorn.conf.py (the project's default) would make them gthread.
    worker_options = (
        ["-k", "gthread", "--threads", str(options.threads)]
        if options.threads > 1
        else ["-k", "sync"]
    )
    for run in range(options.runs):
        for name, config in CONFIGURATIONS.items():
            port = free_port()
            server = start_gunicorn(port, options.workers, config["throttles"], worker_options)
            try:
                base = f"http://127.0.0.1:{port}"
                if options.warm_up:
                    warm_up(base, tokens, options.clients, options.warm_up, 1000 + run)
                result, used = measured_cpu(
                    (server.pid, postgres),
                    run_api,
                    *(base, tokens, options.clients, options.transfers, config["key"], run),
                )
                cpu.setdefault(name, []).append([seconds / len(result[1]) for seconds in used])
                if name == "full":  # the yardstick, on the same server in the same run
                    reads, used = measured_cpu(
                        (server.pid, postgres),
                        run_reads,
                        *(base, tokens, options.clients, options.transfers),
                    )
                    label = "bare v1 GET me/balance/"
                    measured.setdefault(label, []).append(reads)
                    cpu.setdefault(label, []).append([seconds / len(reads[1]) for seconds in used])
                    print(f"  {'bare v1 GET':<22} run {run + 1}: {reads[0]:8.1f} reads/s")
            finally:
                stop(server)
            if result[2]:  # a refused transfer measures the refusal, not a transfer
                sys.exit(f"{name}: {len(result[2])} answers were not 201: {Counter(result[2])}")
            measured.setdefault(name, []).append(result)
            print(f"  {name:<22} run {run + 1}: {result[0]:8.1f} transfers/s", flush=True)
        seconds = options.pgbench_seconds
        rate, latencies = run_transfers(wallet_ids, options.clients, seconds, run)
        measured.setdefault("service call (in-process)", []).append((rate, sorted(latencies), []))
        print(f"  {'service call':<22} run {run + 1}: {rate:8.1f} transfers/s", flush=True)

    prepare_pgbench()
    tps = [run_pgbench(options.clients, options.pgbench_seconds) for _ in range(options.runs)]
    pgbench_rate = statistics.median(tps)
    print()
    threads = f" x {options.threads} threads (gthread)" if options.threads > 1 else " (sync)"
    print(f"{'clients / gunicorn workers':<38}{options.clients} / {options.workers}{threads}")
    print(f"{'CPU cores / load average (1 min)':<38}{os.cpu_count()} / {os.getloadavg()[0]:.1f}")
    where = "Redis" if os.environ.get("REDIS_URL") else "database"
    print(f"{'cache (throttles) / broker':<38}{where}")
    print(f"{'pgbench TPC-B-like':<38}{pgbench_rate:8.1f} tps (median of {options.runs})")
    for name, results in measured.items():
        rate, latencies, failures = sorted(results, key=lambda result: result[0])[len(results) // 2]
        p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        refused = f"  non-201: {len(failures)}" if failures else ""
        unit = "reads/s    " if name.startswith("bare") else "transfers/s"
        print(
            f"{name:<38}{rate:8.1f} {unit}  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
            f"  {rate / pgbench_rate:.2f}x pgbench{refused}"
        )
    if "bare v1 GET me/balance/" in measured:
        full = statistics.median(result[0] for result in measured["full"])
        reads = statistics.median(result[0] for result in measured["bare v1 GET me/balance/"])
        print(f"{'full transfers / bare GETs':<38}{full / reads:8.2f}")
        runs = zip(measured["full"], measured["bare v1 GET me/balance/"], strict=True)
        per_run = [transfers[0] / read[0] for transfers, read in runs]
        print(f"{'  the same, median of per-run ratios':<38}{statistics.median(per_run):8.2f}")
    print()
    print("CPU per request (median of runs; gunicorn workers / PostgreSQL server processes):")
    for name, per_run in cpu.items():
        web = statistics.median(used[0] for used in per_run) * 1000
        database = statistics.median(used[1] for used in per_run) * 1000
        print(f"  {name:<36}web {web:6.2f} ms   PostgreSQL {database:5.2f} ms")
    if "bare v1 GET me/balance/" in cpu:
        total = {
            name: statistics.median(sum(used) for used in per_run) for name, per_run in cpu.items()
        }
        ratio = total["bare v1 GET me/balance/"] / total["full"]
        print(f"  {'GET CPU / full transfer CPU':<36}{ratio:.2f}")
    print()
    for label, counted in parts.items():
        print(f"queries per API transfer, {label}: {sum(counted.values())} {counted}")


if __name__ == "__main__":
    main()
