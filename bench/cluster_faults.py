"""Faults during load, then the proof (docs/SCALING.md, "Faults").

    .venv/bin/python bench/cluster_faults.py [--seconds 80] [--users 15]

Starts the cluster, runs every Locust scenario at once (--users users, one request a second
each) and, on a fixed timeline during the run:
  kill -9 a worker cluster in the middle of payouts (twice, one each), then restart it;
  kill -9 a web node (HAProxy routes around it), then restart it;
  restart the PostgreSQL primary (fast shutdown: every connection cut);
  restart Redis (broker and cache);
  sandbox faults: 500 and dropped connections on POST /transfer, a hang on verify, 500 on
  checkout initialisation, duplicated and delayed webhooks.
Then deploy/proof.py lets the system settle and checks the invariants, and a table is printed:
faults injected, requests made, money in and out, invariants checked, breaks found.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import locust  # noqa: F401  - first: gevent patches the standard library on import

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster_load import start_cluster  # noqa: E402


def sandbox_fault(cluster, **fault):
    import requests

    requests.post(f"{cluster.sandbox_url}/_sandbox/faults", json=fault, timeout=10)


def timeline(cluster):
    """(second, fault name, action) — the order matters less than that each lands mid-load."""
    return [
        (5, "sandbox: 500 x3 and drop x2 on POST /transfer", lambda: (
            sandbox_fault(cluster, path="/transfer", method="POST", mode="500", times=3),
            sandbox_fault(cluster, path="/transfer", method="POST", mode="drop", times=2))),
        (6, "sandbox: duplicate webhooks x10, one delayed 5 s", lambda: (
            sandbox_fault(cluster, path="webhook", mode="duplicate", times=10),
            sandbox_fault(cluster, path="webhook", mode="delay", seconds=5, times=1))),
        (8, "sandbox: hang 5 s on verify x2, 500 on initialize x2", lambda: (
            sandbox_fault(cluster, path="/transaction/verify", mode="hang", seconds=5, times=2),
            sandbox_fault(cluster, path="/transaction/initialize", mode="500", times=2))),
        (12, "kill -9 worker cluster 1 mid-payouts", lambda: cluster.processes["worker1"].kill()),
        (18, "restart worker cluster 1", lambda: cluster.start_worker(0)),
        (22, "kill -9 web node 1", lambda: cluster.processes["web1"].kill()),
        (32, "restart web node 1", lambda: cluster.start_web(0)),
        (36, "restart the PostgreSQL primary", cluster.primary.restart),
        (48, "restart Redis", cluster.restart_redis),
        (58, "kill -9 worker cluster 2 mid-payouts", lambda: cluster.processes["worker2"].kill()),
        (64, "restart worker cluster 2", lambda: cluster.start_worker(1)),
        (66, "sandbox: drop x2 on POST /transfer", lambda: sandbox_fault(
            cluster, path="/transfer", method="POST", mode="drop", times=2)),
    ]  # fmt: skip


def main():
    import gevent
    from locust.env import Environment

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=80)
    parser.add_argument("--users", type=int, default=15)
    parser.add_argument("--customers", type=int, default=30)
    args = parser.parse_args()
    root = ROOT / "var" / "cluster-faults"
    cluster = start_cluster(root, web=2, workers=2, pooler="pgbouncer", customers=args.customers)
    try:
        from bench.locustfile import SCENARIOS

        since = cluster.primary.query("SELECT now()")
        env = Environment(user_classes=list(SCENARIOS.values()), host=cluster.url)
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=args.users)
        began, injected = time.monotonic(), []
        for second, name, action in timeline(cluster):
            gevent.sleep(max(0.0, began + second - time.monotonic()))
            try:
                action()
                injected.append(f"{time.monotonic() - began:5.1f}s {name}")
            except Exception as error:  # a fault that could not be injected is reported
                injected.append(f"{time.monotonic() - began:5.1f}s {name}: FAILED {error!r}")
            print(injected[-1], flush=True)
        gevent.sleep(max(0.0, began + args.seconds - time.monotonic()))
        runner.quit()
        stats = env.stats
        result = cluster.python_output("-m", "deploy.proof", "--since", since)
        proof = json.loads(result.split("PROOF ", 1)[1])
        print_table(injected, stats, proof)
    finally:
        cluster.stop()


def print_table(injected, stats, proof):
    print("\n## Faults during load: the proof\n")
    print("| what | value |\n|---|---|")
    print(f"| faults injected | {len(injected)} |")
    for line in injected:
        print(f"| · | {line.strip()} |")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(f"| requests: {entry.name} | {entry.num_requests} ({entry.num_failures} failed, "
              f"p99 {entry.get_response_time_percentile(0.99):.0f} ms) |")  # fmt: skip
    why = {}
    for error in stats.errors.values():  # the status and error code, or the connection's fate
        reason = str(error.error)
        why[reason] = why.get(reason, 0) + error.occurrences
    for reason, count in sorted(why.items(), key=lambda item: -item[1]):
        print(f"| failed: {reason} | {count} |")
    for key, value in proof.items():
        if key != "breaks":
            print(f"| {key} | {value} |")
    print(f"| breaks found | {len(proof['breaks'])} |")
    for line in proof["breaks"]:
        print(f"| ✗ | {line} |")


if __name__ == "__main__":
    main()
