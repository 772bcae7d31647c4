"""Wallet transfers per second against pgbench's TPC-B-like ceiling, on the same PostgreSQL.

    bash .ci/with-postgres.sh .venv/bin/python bench/transfers.py [--clients 8] [--seconds 10]

Makes random transfers among `--wallets` wallets through WalletService.transfer in `--clients`
worker processes (processes, as gunicorn would run them: one Python thread cannot use two
cores) for `--seconds`, and pgbench's built-in TPC-B-like script with the same client count for
as long against the same server: `--runs` rounds, each path and pgbench in turn. Like pgbench's
tps, the rate leaves out connecting: the clients connect, wait for one another, then run.
Prints the median transfers/s with p50/p99 latency and the ratio to pgbench's median. Not a
test: it asserts nothing, it prints numbers.
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
    """One client: connect and load the wallets, wait for every other client, then transfer
    until the shared deadline, as pgbench's clients do (its tps leaves out connecting too)."""
    wallet_ids, seconds, seed, path, start_line = args
    from django.conf import settings
    from django.db import connections

    settings.WALLET_TRANSFER_IN_DATABASE = path != "orm"
    if path == "sql-unprepared":  # as behind PgBouncer in transaction mode
        connections["default"].settings_dict.setdefault("OPTIONS", {})["prepare_threshold"] = None

    connections.close_all()  # never share a forked connection
    from wallet.models import Wallet
    from wallet.services.wallet_service import WalletService

    wallets = {w.pk: w for w in Wallet.objects.filter(pk__in=wallet_ids)}
    service, rng, latencies = WalletService(), random.Random(seed), []
    start_line.wait()
    began = time.perf_counter()  # CLOCK_MONOTONIC: one clock for every process
    deadline = began + seconds
    while (started := time.perf_counter()) < deadline:
        source, destination = rng.sample(wallet_ids, 2)
        amount = Decimal(rng.randint(100, 50000)) / 100
        service.transfer(
            source_wallet=wallets[source], destination_wallet=wallets[destination], amount=amount
        )
        latencies.append(time.perf_counter() - started)
    finished = time.perf_counter()
    connections.close_all()
    return began, finished, latencies


def run_transfers(wallet_ids, clients, seconds, seed, path="sql-function"):
    """Transfers a second over the time every client was transferring: from the moment they
    all started to the moment the last one finished its last transfer."""
    context = multiprocessing.get_context("fork")
    start_line = context.Manager().Barrier(clients)
    jobs = [(wallet_ids, seconds, seed * 1000 + c, path, start_line) for c in range(clients)]
    with context.Pool(clients) as pool:
        results = pool.map(transfer_worker, jobs)
    began = min(result[0] for result in results)
    finished = max(result[1] for result in results)
    latencies = sorted(latency for result in results for latency in result[2])
    return len(latencies) / (finished - began), latencies


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def pgbench_binary():
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    return str(candidates[-1]) if candidates else None


def pgbench_environment():
    url = urlparse(os.environ["DATABASE_URL"])
    return {
        **os.environ,
        "PGHOST": url.hostname,
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
    }


def prepare_pgbench():
    env, binary = pgbench_environment(), pgbench_binary()
    bin_dir = Path(binary).parent
    subprocess.run([str(bin_dir / "dropdb"), "--if-exists", "bench_pgbench"], env=env, check=True)
    subprocess.run([str(bin_dir / "createdb"), "bench_pgbench"], env=env, check=True)
    subprocess.run(
        [binary, "-i", "-q", "-s", "10", "bench_pgbench"], env=env, check=True, capture_output=True
    )


def run_pgbench(clients, seconds):
    command = [pgbench_binary(), "-n", "-c", str(clients), "-j", str(min(clients, 2))]
    command += ["-T", str(seconds), "bench_pgbench"]
    output = subprocess.run(
        command, env=pgbench_environment(), check=True, capture_output=True, text=True
    )
    return float(re.search(r"tps = ([\d.]+)", output.stdout).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--wallets", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--seconds", type=int, default=10, help="per run, for each path and pgbench"
    )
    parser.add_argument(
        "--paths",
        default="sql-function,sql-unprepared,orm",
        help="sql-function (prepared once per connection), sql-unprepared (sent whole each "
        "time, as behind PgBouncer), orm (WALLET_TRANSFER_IN_DATABASE=0)",
    )
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run on PostgreSQL: bash .ci/with-postgres.sh .venv/bin/python bench/transfers.py")

    production_environment()
    setup_django()
    wallet_ids = prepare_wallets(options.wallets)
    from django.db import connections

    connections.close_all()

    paths = options.paths.split(",")
    prepare_pgbench()
    measured, tps = {}, []
    # Interleaved, each path and pgbench in turn, so background load hits all of them alike.
    for run in range(options.runs):
        for name in paths:
            rate, latencies = run_transfers(wallet_ids, options.clients, options.seconds, run, name)
            measured.setdefault(name, []).append((rate, latencies))
            print(f"  {name:<12} run {run + 1}: {rate:8.1f} transfers/s", flush=True)
        tps.append(run_pgbench(options.clients, options.seconds))
        print(f"  pgbench      run {run + 1}: {tps[-1]:8.1f} tps", flush=True)
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
