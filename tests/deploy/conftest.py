"""The cluster the deployment tests share (one per test session; it takes a minute to start)."""

import json
import shutil
import subprocess
import time
import uuid
from decimal import Decimal

import pytest
import requests

from deploy.cluster import BASE_DIR, Cluster

PROBE_TASKS = 30
SCHEDULE = "smoke schedule runs once"
SANDBOX_AUTH = {"Authorization": "Bearer sk_test_sandbox_secret_key"}


def wait_until(condition, timeout=60.0, what="condition"):
    """Poll another process's state (a database row, a log line) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture(scope="session")
def cluster():
    root = BASE_DIR / "var" / f"cluster-test-{uuid.uuid4().hex[:8]}"
    cluster = Cluster(
        root,
        web=2,
        workers=2,
        q_workers=2,
        gunicorn_workers=1,
        extra_env={
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "Q_GUARD_CYCLE": "0.5",
        },
        replica_options="-c log_statement=all",
    )
    try:
        cluster.start(seed=False, collect_static=False)
        # Both worker clusters are listening before the probe tasks are queued (else the first
        # one up may take them all).
        for index in (1, 2):
            log = cluster.logs / f"worker{index}.log"
            wait_until(lambda log=log: log.exists() and " running." in log.read_text(),
                       what=f"worker cluster {index} to start")  # fmt: skip
        out = root / "customers.json"
        cluster.python(
            "-m", "deploy.customers", "--count", "4", "--out", str(out),
            "--tasks", str(PROBE_TASKS), "--schedule", SCHEDULE,
        )  # fmt: skip
        cluster.people = json.loads(out.read_text())
        print("cluster started:", cluster.timings)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def api(cluster, customer, method, path, **kwargs):
    headers = {"Authorization": f"Bearer {customer['token']}"}
    url = f"{cluster.url}/wallet/api/v1/{path}"
    return requests.request(method, url, headers=headers, timeout=30, **kwargs)


def sql(cluster, query) -> str:
    return cluster.primary.query(query)


def balance(cluster, customer) -> Decimal:
    query = f"SELECT balance FROM wallet_wallet WHERE id = {customer['wallet_id']}"
    return Decimal(sql(cluster, query))


def status_of(cluster, reference) -> str:
    return sql(cluster, f"SELECT status FROM wallet_transaction WHERE reference = '{reference}'")


def sandbox_transfers(cluster, reference) -> list[dict]:
    answer = requests.get(
        f"{cluster.sandbox_url}/transfer", params={"perPage": 100}, headers=SANDBOX_AUTH, timeout=10
    )
    return [t for t in answer.json()["data"] if t["reference"] == reference]


def redis_cli(cluster, *args) -> str:
    argv = ["redis-cli", "-p", str(cluster.ports["redis"]), *args]
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout  # noqa: S603


def check_ledger(cluster) -> subprocess.CompletedProcess:
    env = {**cluster.django_env(), "DATABASE_URL": cluster.primary.url()}
    env.pop("DATABASE_PGBOUNCER", None)
    return subprocess.run(  # noqa: S603
        [str(BASE_DIR / ".venv/bin/python"), "manage.py", "check_ledger"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
