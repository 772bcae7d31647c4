"""The Locust scenarios (bench/locustfile.py) against a fresh cluster, open-loop at rising rates.

    .venv/bin/python bench/cluster_load.py [--rates 5,10,20,40,80] [--step 15] [--web 2]
        [--pooler pgbouncer|psycopg] [--scenarios browsing,transfers,...]

Starts the cluster (deploy/cluster.py) under var/cluster-load/, makes --customers customers,
then for each scenario offers each rate for --step seconds (N users at one request a second
each) and prints, per step: requests, failures, achieved rate, p50/p99, and the CPU used by
each part (web nodes, worker clusters, PostgreSQL primary and replica, PgBouncer, Redis,
HAProxy, the sandbox, Locust itself) in cores. The accepted rate of a scenario is the highest
offered rate whose p99 stayed under 300 ms with under 1% failures. Prints; asserts nothing.
Money throttles are raised for the run: every request comes from one address here.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import locust  # noqa: F401  - first: gevent patches the standard library on import

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.webhook_load import CpuMeter  # noqa: E402

P99_LIMIT_MS = 300
LOAD_ENV = {
    "WALLET_API_MONEY_RATE_USER": "100000/m",
    "WALLET_API_MONEY_RATE_TOKEN": "100000/m",
    "WALLET_API_MONEY_RATE_IP": "1000000/m",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


def start_cluster(root, *, web, workers, pooler, customers, gunicorn_workers=2):
    from deploy.cluster import Cluster

    cluster = Cluster(
        root,
        web=web,
        workers=workers,
        pooler=pooler,
        extra_env=LOAD_ENV,
        gunicorn_workers=gunicorn_workers,
    )
    people = root / "people.json"
    try:
        cluster.start(seed=False, collect_static=False)
        cluster.python("-m", "deploy.customers", "--count", str(customers), "--out", str(people))
    except BaseException:  # Ctrl-C or a failure half-way: leave nothing running
        cluster.stop()
        raise
    os.environ["LOAD_PEOPLE"] = str(people)
    os.environ["LOAD_SANDBOX"] = cluster.sandbox_url
    return cluster


# --- CPU per part ------------------------------------------------------------------------------


def _postmaster(pg) -> int | None:
    pidfile = pg.data / "postmaster.pid"
    return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def parts(cluster) -> dict[str, list[int]]:
    groups = {"web": [], "workers": [], "locust": [os.getpid()]}
    for name, process in cluster.processes.items():
        if not process.running:
            continue
        group = (
            "web" if name.startswith("web") else "workers" if name.startswith("worker") else name
        )
        groups.setdefault(group, []).append(process.popen.pid)
    groups["pg primary"] = [p for p in [_postmaster(cluster.primary)] if p]
    groups["pg replica"] = [p for p in [_postmaster(cluster.replica)] if p]
    return groups


def cpu_snapshot(cluster) -> dict[str, dict[int, float]]:
    """CPU seconds of every process of each part now (the parts as they run now: a restarted
    node has new pids)."""
    return CpuMeter(parts(cluster)).snapshot()


def cores(before, after, seconds) -> dict[str, float]:
    return {name: used / seconds for name, used in CpuMeter.used(before, after).items()}


def wait_until_quiet(cluster, below=0.25, longest=90.0) -> float:
    """Wait (at most `longest` s) until the cluster uses under `below` cores over a second: a
    saturated step leaves requests, credits and payouts queued, and their CPU would count
    against the next scenario's first step. Returns the seconds waited."""
    import gevent

    began = time.monotonic()
    while time.monotonic() - began < longest:
        before = cpu_snapshot(cluster)
        gevent.sleep(1.0)
        used = cores(before, cpu_snapshot(cluster), 1.0)
        if sum(v for k, v in used.items() if k != "locust") < below:
            break
    return time.monotonic() - began


# --- Locust ------------------------------------------------------------------------------------


def warm_up(host, people):
    """Each gunicorn worker loads Django's URLconf, templates and connections on its first
    requests: pay that before measuring (HAProxy spreads these over every node)."""
    import requests

    customer = people["customers"][0]
    cookie = {"Cookie": f"sessionid={customer['session']}"}
    staff = {"Cookie": f"sessionid={people['staff']['session']}"}
    for _ in range(12):
        requests.get(f"{host}/wallet/", headers=cookie, timeout=60)
        requests.get(f"{host}/wallet/transactions/", headers=cookie, timeout=60)
        requests.get(f"{host}/admin/wallet/transaction/", headers=staff, timeout=60)


def run_step(host, user_classes, users, seconds, cluster):
    """`users` users at one request a second each, for `seconds`; stats of wallet requests."""
    import gevent
    from locust.env import Environment

    env = Environment(user_classes=user_classes, host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users, 1))
    gevent.sleep(2)  # users spawned and on their way: measure from here
    env.stats.reset_all()
    before = cpu_snapshot(cluster)
    gevent.sleep(seconds)
    after = cpu_snapshot(cluster)
    entries = [e for e in env.stats.entries.values() if not e.name.startswith("(sandbox)")]
    errors = [(e.name, e.error, e.occurrences) for e in env.stats.errors.values()]
    runner.quit()
    total_requests = sum(e.num_requests for e in entries)
    failures = sum(e.num_failures for e in entries)
    merged = env.stats.total.__class__(env.stats, "wallet", None)
    for entry in entries:
        merged.extend(entry)
    return {
        "requests": total_requests,
        "failures": failures,
        "rate": total_requests / seconds,
        "p50": merged.get_response_time_percentile(0.5) if total_requests else 0,
        "p99": merged.get_response_time_percentile(0.99) if total_requests else 0,
        "cpu": cores(before, after, seconds),
        "errors": errors,  # why requests failed (the sandbox's own included), as Locust saw it
    }


CPU_COLUMNS = [
    "web",
    "workers",
    "pg primary",
    "pg replica",
    "pgbouncer",
    "redis",
    "haproxy",
    "sandbox",
    "locust",
]


def print_step(scenario, offered, result):
    rate = max(result["rate"], 0.001)
    cpu = " ".join(f"{1000 * result['cpu'].get(c, 0.0) / rate:5.1f}" for c in CPU_COLUMNS)
    print(
        f"| {scenario:12} | {offered:4}/s | {result['rate']:6.1f}/s | {result['requests']:6} | "
        f"{result['failures']:4} | {result['p50']:5.0f} | {result['p99']:5.0f} | {cpu} |",
        flush=True,
    )
    for name, error, occurrences in result["errors"]:
        print(f"|   failed: {occurrences} x {name}: {error}", flush=True)


def header():
    cpu = " | ".join(f"{c[:7]:>7}" for c in CPU_COLUMNS)
    print("CPU columns: milliseconds of CPU each part spent per request (cores used / rate).")
    print(f"| scenario | offered | achieved | reqs | fail | p50 ms | p99 ms | {cpu} |")


def capacity(result) -> tuple[str, float]:
    """The part that spends the most CPU per request, and the rate two idle cores would carry
    if every part shared them (the machine's whole CPU divided by one request's CPU)."""
    rate = max(result["rate"], 0.001)
    per_request = {k: 1000 * v / rate for k, v in result["cpu"].items() if k != "locust"}
    busiest = max(per_request, key=per_request.get)
    return busiest, 2000 / max(sum(per_request.values()), 0.001)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="5,10,20,40,80")
    parser.add_argument("--step", type=float, default=15.0)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--pooler", choices=["pgbouncer", "psycopg"], default="pgbouncer")
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument("--scenarios", default="browsing,transfers,top-ups,withdrawals,staff lists")
    args = parser.parse_args()
    root = ROOT / "var" / "cluster-load"
    cluster = start_cluster(
        root,
        web=args.web,
        workers=args.workers,
        pooler=args.pooler,
        customers=args.customers,
        gunicorn_workers=args.gunicorn_workers,
    )
    try:
        from bench.locustfile import PEOPLE, SCENARIOS

        warm_up(cluster.url, PEOPLE)
        rates = [int(r) for r in args.rates.split(",")]
        print(
            f"\nCluster: {args.web} web x {args.gunicorn_workers} gunicorn workers, "
            f"{args.workers} worker clusters, pooler {args.pooler}; {args.step:.0f} s a step"
        )
        header()
        accepted, last = {}, {}
        for name in args.scenarios.split(","):
            waited = wait_until_quiet(cluster)
            print(f"| ({name}: the cluster was quiet after {waited:.0f} s)", flush=True)
            for rate in rates:
                result = run_step(cluster.url, [SCENARIOS[name]], rate, args.step, cluster)
                print_step(name, rate, result)
                last[name] = result
                if result["p99"] < P99_LIMIT_MS and result["failures"] <= result["requests"] / 100:
                    accepted[name] = (rate, result)
                if result["rate"] < 0.8 * rate or result["failures"] > result["requests"] / 20:
                    break  # past the knee: higher rates only queue
        print("\nPer scenario: the highest offered rate with p99 < 300 ms and < 1% failures, the")
        print("part spending the most CPU per request, and the rate 2 idle cores would carry:")
        for name, result in last.items():
            rate = accepted.get(name, (None, None))[0]
            busiest, ceiling = capacity(result)
            print(
                f"  {name:12} accepted {rate or 'none'}/s   busiest: {busiest} "
                f"{1000 * result['cpu'][busiest] / max(result['rate'], 0.001):.1f} ms/request   "
                f"2-core ceiling ~{ceiling:.0f}/s"
            )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
