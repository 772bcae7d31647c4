"""Wallet transfers per second against pgbench's TPC-B-like ceiling, on the same PostgreSQL.

    bash .ci/with-postgres.sh .venv/bin/python bench/transfers.py [--clients 8] [--transfers 4000]

Runs `--transfers` random transfers among `--wallets` wallets through WalletService.transfer in
`--clients` worker processes (processes, as gunicorn would run them: one Python thread cannot
use two cores), `--runs` times, and prints the median transfers/s with p50/p99 latency. Then it
runs pgbench's built-in TPC-B-like script with the same client count against the same server
and prints the ratio. Not a test: it asserts nothing, it prints numbers.
"""

import argparse
import multiprocessing
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")


def production_environment():
    """As production runs (and bench/api.py's gunicorn): DEBUG off, so connections persist
    (CONN_MAX_AGE 60) and no query log is kept. Under DEBUG's defaults a worker reconnected
    whenever anything called close_old_connections, a tenth of the rate. Only for this
    script's own run: bench/api.py imports it and keeps its own settings."""
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def setup_django():
    import django

    django.setup()


def prepare_wallets(count):
    from django.core.management import call_command

    from accounts.models import User
    from wallet.models import Wallet
    from wallet.services.wallet_service import WalletService

    call_command("migrate", verbosity=0)
    service = WalletService()
    wallets = []
    for index in range(count):
        user, _ = User.objects.get_or_create(email=f"bench{index}@example.com")
        wallet = service.get_wallet(user)
        if wallet.balance < Decimal("1000000"):
            service.deposit(wallet=wallet, amount=Decimal("1000000"), description="Bench funds")
        wallets.append(wallet.pk)
    # Tier 3 (no balance cap): a million-naira wallet is over Tier 1's cap and could not receive.
    Wallet.objects.filter(pk__in=wallets).update(tier=3)
    return wallets


def transfer_worker(args):
    wallet_ids, count, seed, in_database = args
    from django.conf import settings
    from django.db import connections

    settings.WALLET_TRANSFER_IN_DATABASE = in_database

    connections.close_all()  # never share a forked connection
    from wallet.models import Wallet
    from wallet.services.wallet_service import WalletService

    wallets = {w.pk: w for w in Wallet.objects.filter(pk__in=wallet_ids)}
    service, rng, latencies = WalletService(), random.Random(seed), []
    for _ in range(count):
        source, destination = rng.sample(wallet_ids, 2)
        amount = Decimal(rng.randint(100, 50000)) / 100
        started = time.perf_counter()
        service.transfer(
            source_wallet=wallets[source], destination_wallet=wallets[destination], amount=amount
        )
        latencies.append(time.perf_counter() - started)
    connections.close_all()
    return latencies


def run_transfers(wallet_ids, clients, transfers, seed, in_database):
    per_client = transfers // clients
    jobs = [(wallet_ids, per_client, seed * 1000 + c, in_database) for c in range(clients)]
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        started = time.perf_counter()
        results = pool.map(transfer_worker, jobs)
        elapsed = time.perf_counter() - started
    latencies = sorted(latency for result in results for latency in result)
    return len(latencies) / elapsed, latencies


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def pgbench_binary():
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    return str(candidates[-1]) if candidates else None


def run_pgbench(clients, seconds, runs):
    url = urlparse(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "PGHOST": url.hostname,
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
    }
    binary = pgbench_binary()
    bin_dir = Path(binary).parent
    subprocess.run([str(bin_dir / "dropdb"), "--if-exists", "bench_pgbench"], env=env, check=True)
    subprocess.run([str(bin_dir / "createdb"), "bench_pgbench"], env=env, check=True)
    subprocess.run(
        [binary, "-i", "-q", "-s", "10", "bench_pgbench"], env=env, check=True, capture_output=True
    )
    results = []
    for _ in range(runs):
        command = [
            binary,
            "-n",
            "-c",
            str(clients),
            "-j",
            str(min(clients, 2)),
            "-T",
            str(seconds),
            "bench_pgbench",
        ]
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        results.append(float(re.search(r"tps = ([\d.]+)", output.stdout).group(1)))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--transfers", type=int, default=4000)
    parser.add_argument("--wallets", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run on PostgreSQL: bash .ci/with-postgres.sh .venv/bin/python bench/transfers.py")

    production_environment()
    setup_django()
    wallet_ids = prepare_wallets(options.wallets)
    from django.db import connections

    connections.close_all()

    paths = {"sql-function": True, "orm": False}
    measured = {}
    for run in range(options.runs):  # interleaved, so background load hits both paths alike
        for name, in_database in paths.items():
            rate, latencies = run_transfers(
                wallet_ids, options.clients, options.transfers, run, in_database
            )
            measured.setdefault(name, []).append((rate, latencies))
            print(f"  {name:<12} run {run + 1}: {rate:8.1f} transfers/s", flush=True)

    tps = run_pgbench(options.clients, options.pgbench_seconds, options.runs)
    for run, value in enumerate(tps):
        print(f"  pgbench      run {run + 1}: {value:8.1f} tps", flush=True)
    pgbench_rate = statistics.median(tps)

    print()
    print(f"{'clients':<34}{options.clients}")
    print(f"{'CPU cores / load average (1 min)':<34}{os.cpu_count()} / {os.getloadavg()[0]:.1f}")
    print(f"{'pgbench TPC-B-like':<34}{pgbench_rate:8.1f} tps (median of {options.runs})")
    for name, results in measured.items():
        rate, latencies = sorted(results, key=lambda result: result[0])[len(results) // 2]
        p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        print(
            f"{'transfer (' + name + ')':<34}{rate:8.1f} transfers/s (median of {options.runs})"
            f"  p50 {p50:.2f} ms  p99 {p99:.2f} ms  {rate / pgbench_rate:.2f}x pgbench"
        )


if __name__ == "__main__":
    main()
