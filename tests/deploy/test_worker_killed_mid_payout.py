"""kill -9 of the worker clusters while one of them is inside a payout's Paystack call, then a
restart: the payout completes, once, and the money is exact (cluster fixture: conftest.py)."""

from decimal import Decimal

import requests

from tests.deploy.conftest import (
    api,
    balance,
    check_ledger,
    sandbox_transfers,
    sql,
    status_of,
    wait_until,
)


def sandbox_fault(cluster, **fault):
    answer = requests.post(f"{cluster.sandbox_url}/_sandbox/faults", json=fault, timeout=10)
    assert answer.status_code in (200, 201), answer.text


def test_a_worker_killed_while_it_holds_a_payout_pays_it_once_after_restart(cluster):
    customer = cluster.people["customers"][3]
    before = balance(cluster, customer)
    # The sandbox makes the transfer, then holds its answer: the worker waits inside the call.
    # Its webhook is held back too, so that nothing can finish the payout while workers are dead.
    sandbox_fault(cluster, path="/transfer", method="POST", mode="hang", seconds=20, times=1)
    sandbox_fault(cluster, path="webhook", mode="delay", seconds=15, times=1)

    answer = api(cluster, customer, "POST", "me/withdrawals/", json={
        "bank_account_id": customer["bank_account_id"], "amount": "2500.00",
        "pin": customer["pin"],
    })  # fmt: skip
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]
    wait_until(lambda: sandbox_transfers(cluster, reference), what="the worker to call Paystack")

    for index in (0, 1):  # the one holding the task is among them; kill -9, no goodbye
        cluster.processes[f"worker{index + 1}"].kill()
    assert status_of(cluster, reference) in ("pending", "processing")
    for index in (0, 1):
        cluster.start_worker(index)

    wait_until(lambda: status_of(cluster, reference) == "success", timeout=120, what="payout")
    fee = Decimal(
        sql(cluster, f"SELECT fee FROM wallet_transaction WHERE reference = '{reference}'")
    )
    assert balance(cluster, customer) == before - Decimal("2500.00") - fee
    assert len(sandbox_transfers(cluster, reference)) == 1  # paid once at Paystack
    assert sandbox_transfers(cluster, reference)[0]["status"] == "success"
    ledger = check_ledger(cluster)
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
