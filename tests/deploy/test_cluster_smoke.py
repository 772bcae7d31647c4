"""A bounded smoke of the real topology (deploy/cluster.py, `make cluster`): PostgreSQL primary
and streaming replica, PgBouncer (transaction mode), Redis as broker and cache, two gunicorn
nodes behind HAProxy, two django-q2 worker clusters on one queue, and the sandbox.

Everything goes through HAProxy over HTTP as a client would; the checks read PostgreSQL, Redis
and the workers' logs directly. The cluster fixture is in tests/deploy/conftest.py.
"""

import re
import uuid
from decimal import Decimal

import requests

from tests.deploy.conftest import (
    PROBE_TASKS,
    SCHEDULE,
    api,
    balance,
    check_ledger,
    redis_cli,
    sandbox_transfers,
    sql,
    wait_until,
)


def test_transfer_through_the_balancer_with_throttles_in_redis(cluster):
    ada, bola = cluster.people["customers"][:2]
    before = balance(cluster, ada), balance(cluster, bola)

    answer = api(
        cluster,
        ada,
        "POST",
        "me/transfers/",
        json={"recipient": bola["wallet_code"], "amount": "150.00", "pin": ada["pin"]},
    )

    assert answer.status_code == 201, answer.text
    assert balance(cluster, ada) == before[0] - Decimal("150.00")
    assert balance(cluster, bola) == before[1] + Decimal("150.00")
    assert redis_cli(cluster, "-n", "1", "dbsize").strip() != "0"  # the shared cache holds keys


def test_card_top_up_is_credited_once_by_its_webhook_through_the_redis_broker(cluster):
    customer = cluster.people["customers"][2]
    before = balance(cluster, customer)

    checkout = api(cluster, customer, "POST", "me/deposits/", json={"amount": "5000.00"})
    assert checkout.status_code == 201, checkout.text
    code = checkout.json()["authorization_url"].rstrip("/").rsplit("/", 1)[-1]
    paid = requests.post(
        f"{cluster.sandbox_url}/_sandbox/checkout/{code}/pay",
        json={"card": "4084084084084081"},
        timeout=30,
    )
    assert paid.json()["data"]["status"] == "success", paid.text
    reference = paid.json()["data"]["reference"]

    wait_until(lambda: balance(cluster, customer) == before + Decimal("5000.00"), what="credit")
    status = sql(cluster, f"SELECT status FROM wallet_transaction WHERE reference = '{reference}'")
    assert status == "success"
    assert sql(cluster, "SELECT count(*) FROM django_q_ormq") == "0"  # the queue is Redis
    stats = redis_cli(cluster, "info", "commandstats")
    assert "cmdstat_rpush" in stats and "cmdstat_blpop" in stats


def test_payout_is_paid_once_through_the_worker_clusters(cluster):
    customer = cluster.people["customers"][0]
    answer = api(
        cluster,
        customer,
        "POST",
        "me/withdrawals/",
        json={
            "bank_account_id": customer["bank_account_id"],
            "amount": "1000.00",
            "pin": customer["pin"],
        },
    )
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]

    def paid():
        query = f"SELECT status FROM wallet_transaction WHERE reference = '{reference}'"
        return sql(cluster, query) == "success"

    wait_until(paid, what="the payout to succeed")
    assert len(sandbox_transfers(cluster, reference)) == 1


def replica_log(cluster) -> str:
    return (cluster.replica.logfile).read_text(errors="replace")


def test_history_reads_the_replica_and_a_write_pins_the_browser_to_the_primary(cluster):
    ada, bola = cluster.people["customers"][:2]
    session = {"sessionid": ada["session"]}
    # The replica has caught up with the customers made a moment ago (streaming works).
    wait_until(
        lambda: (
            cluster.replica.query(
                f"SELECT count(*) FROM wallet_wallet WHERE id = {ada['wallet_id']}"
            )
            == "1"
        ),
        what="the replica to stream",
    )

    mark = replica_log(cluster)
    dashboard = requests.get(f"{cluster.url}/wallet/", cookies=session, timeout=30)
    first = uuid.uuid4().hex
    history = requests.get(
        f"{cluster.url}/wallet/transactions/", params={"q": first}, cookies=session, timeout=30
    )
    assert dashboard.status_code == 200 and history.status_code == 200
    log = wait_until(
        lambda: (text := replica_log(cluster)[len(mark) :]) and first in text and text,
        what="the history query in the replica's log",
    )
    assert "wallet_transaction" in log
    # Balances and sessions are not read there (a counterparty's name may be, by a join).
    assert 'FROM "wallet_wallet"' not in log and "django_session" not in log

    # Read-your-write: a send through the page, then history from the primary, showing it.
    form = requests.get(f"{cluster.url}/wallet/send/", cookies=session, timeout=30)
    csrf = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"]).group(1)
    sent = requests.post(
        f"{cluster.url}/wallet/send/",
        data={
            "step": "send",
            "recipient": bola["wallet_code"],
            "amount": "77.00",
            "description": "smoke",
            "reference": "",
            "pin": ada["pin"],
            "csrfmiddlewaretoken": csrf,
        },
        cookies={**session, "csrftoken": csrf},
        headers={"Origin": cluster.url},
        allow_redirects=False,
        timeout=30,
    )
    assert sent.status_code == 302, sent.text[:500]
    assert "wallet_primary=1" in sent.headers["Set-Cookie"]
    mark = replica_log(cluster)
    second = uuid.uuid4().hex
    after = requests.get(
        f"{cluster.url}/wallet/transactions/",
        params={"q": "smoke"},
        cookies={**session, "wallet_primary": "1"},
        timeout=30,
    )
    marker = requests.get(
        f"{cluster.url}/wallet/transactions/",
        params={"q": second},
        cookies={**session, "wallet_primary": "1"},
        timeout=30,
    )
    assert after.status_code == 200 and marker.status_code == 200
    assert "₦77.00" in after.text
    assert second not in replica_log(cluster)[len(mark) :]


def worker_log(cluster, index) -> str:
    return (cluster.logs / f"worker{index}.log").read_text(errors="replace")


def test_two_worker_clusters_run_each_task_once_and_the_schedule_once(cluster):
    def runs():
        found = [re.findall(r"probe-\d+", worker_log(cluster, i)) for i in (1, 2)]
        return found if len(set(found[0]) | set(found[1])) == PROBE_TASKS else None

    ran = wait_until(runs, what="every probe task to run")
    # django-q2 logs a task when it starts it and when it is done: one of each per run.
    first, second = (set(names) for names in ran)
    assert first.isdisjoint(second), first & second
    assert first and second, "both clusters take work from the one queue"
    assert all(
        sum(log.count(f"[{name}]") for log in (worker_log(cluster, 1), worker_log(cluster, 2))) <= 2
        for name in first | second
    )


def schedule_runs(cluster) -> str:
    return sql(cluster, f"SELECT count(*) FROM django_q_task WHERE \"group\" = '{SCHEDULE}'")


def test_a_schedule_due_now_fires_once_with_two_schedulers(cluster):
    # Both clusters run the scheduler (after about 30 s of guard time); the schedule's row lock
    # (SELECT ... FOR UPDATE, then next_run moves on) lets exactly one of them create the task.
    assert (
        wait_until(
            lambda: schedule_runs(cluster) != "0" and schedule_runs(cluster),
            timeout=90,
            what="the schedule to fire",
        )
        == "1"
    )


def test_the_ledger_balances_after_the_smoke(cluster):
    answer = check_ledger(cluster)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    # By now both schedulers have passed many more times: still a single run of the schedule.
    assert schedule_runs(cluster) == "1"
