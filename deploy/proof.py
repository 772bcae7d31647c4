"""The invariants after a run with faults, checked against the database and the sandbox.

    python -m deploy.proof --since ISO-TIME [--settle 180]   (with the cluster's environment)

First lets the system finish its own story, the way production would: faults cleared, every
in-flight transfer settled at the sandbox, then the recovery jobs the schedules run (reconcile
charges, retry failed webhooks, reconcile open payouts) called until nothing is left open or
--settle seconds pass. Then checks, and prints one JSON object:
- the ledger check passes;
- reconciliation of the run's period against the sandbox finds no mismatch;
- every successful charge at the sandbox is credited once, with its amount;
- every payout is final: paid at the sandbox, or failed/reversed with its money returned;
- no webhook event is left unprocessed, and no task is left queued (database or Redis) or failed.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")


class Sandbox:
    """The sandbox over plain HTTP (its list and control endpoints)."""

    def __init__(self):
        import requests
        from django.conf import settings

        self.base_url = settings.PAYSTACK_BASE_URL
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {settings.PAYSTACK_SECRET_KEY}"

    def get(self, path, params):
        return self.session.get(f"{self.base_url}{path}", params=params, timeout=30).json()


def sandbox_list(sandbox, path, since):
    rows, page = [], 1
    while True:
        answer = sandbox.get(path, params={"perPage": 100, "page": page, "from": since})
        rows += answer["data"]
        if page >= answer["meta"]["pageCount"]:
            return rows
        page += 1


def open_work(since):
    from django_q.brokers import get_broker
    from django_q.models import OrmQ

    from wallet.models import Transaction, WebhookEvent

    unfinished = ("pending", "processing", "otp")
    return {
        "open payouts": Transaction.objects.filter(
            created_at__gte=since, transaction_type="withdrawal", status__in=unfinished
        ).count(),
        "unprocessed webhooks": WebhookEvent.objects.filter(
            received_at__gte=since, status__in=["received", "processing", "failed"]
        ).count(),
        "queued tasks (database queue)": OrmQ.objects.count(),
        "queued tasks (broker)": get_broker().queue_size() or 0,
    }


def recover(client, sandbox, since, settle_seconds):
    """What the schedules would do over the next minutes, run now until nothing is open."""
    from wallet.services.funding.reconcile import reconcile_pending_charges, retry_failed_webhooks
    from wallet.services.payouts.reconcile import reconcile_open_payouts

    sandbox.session.delete(f"{sandbox.base_url}/_sandbox/faults", timeout=30)
    sandbox.session.post(f"{sandbox.base_url}/_sandbox/settle", timeout=30)
    deadline = time.monotonic() + settle_seconds
    while True:
        reconcile_pending_charges(client, verify_after=dt.timedelta(0))
        retry_failed_webhooks()
        reconcile_open_payouts(client, older_than=dt.timedelta(0))
        left = open_work(since)
        if not any(left.values()) or time.monotonic() > deadline:
            return left
        time.sleep(2)


def prove(since_text, settle_seconds):
    import django

    django.setup()
    from django.db.models import Count, Sum
    from django.utils import timezone
    from django_q.models import Failure

    from wallet.models import Transaction
    from wallet.paystack import PaystackClient
    from wallet.services.ledger.check import check_ledger
    from wallet.services.reconciliation.runs import reconcile_period

    since = dt.datetime.fromisoformat(since_text)
    client, sandbox = PaystackClient(), Sandbox()
    left = recover(client, sandbox, since, settle_seconds)
    breaks = []

    ledger = check_ledger()
    if not ledger.ok:
        breaks.append("ledger: " + ledger.text())
    run = reconcile_period(client, period_start=since, period_end=timezone.now())
    if run.mismatches_found or run.status != "completed":
        breaks.append(f"reconciliation: run {run.pk} {run.status}, {run.mismatches_found} found")

    charges = [
        c for c in sandbox_list(sandbox, "/transaction", since_text) if c["status"] == "success"
    ]
    credited = dict(
        Transaction.objects.filter(
            reference__in=[c["reference"] for c in charges], status="success"
        )
        .values_list("reference")
        .annotate(n=Count("id"))
    )
    for charge in charges:
        if credited.get(charge["reference"]) != 1:
            breaks.append(
                f"charge {charge['reference']} credited {credited.get(charge['reference'], 0)}x"
            )

    payouts = Transaction.objects.filter(created_at__gte=since, transaction_type="withdrawal")
    transfers = {t["reference"]: t for t in sandbox_list(sandbox, "/transfer", since_text)}
    for payout in payouts:
        paid = transfers.get(payout.reference)
        if payout.status == "success" and (paid is None or paid["status"] != "success"):
            breaks.append(
                f"payout {payout.reference} success here, {paid and paid['status']} there"
            )
        if payout.status in ("pending", "processing", "otp"):
            breaks.append(f"payout {payout.reference} still {payout.status}")
        if payout.status in ("failed", "reversed") and paid and paid["status"] == "success":
            breaks.append(f"payout {payout.reference} returned here but paid there")
    for name, count in left.items():
        if count:
            breaks.append(f"{name}: {count}")
    failures = Failure.objects.filter(started__gte=since).count()
    if failures:
        breaks.append(f"failed tasks: {failures}")

    def total(**filters):
        return Transaction.objects.filter(created_at__gte=since, **filters).aggregate(
            s=Sum("amount")
        )["s"] or Decimal("0")

    return {
        "charges at the sandbox": len(charges),
        "money in (credited deposits)": str(total(transaction_type="deposit", status="success")),
        "payouts": payouts.count(),
        "payouts paid": payouts.filter(status="success").count(),
        "payouts returned": payouts.filter(status__in=["failed", "reversed"]).count(),
        "money out (paid payouts)": str(total(transaction_type="withdrawal", status="success")),
        "transfers": Transaction.objects.filter(
            created_at__gte=since, transaction_type="transfer", direction="debit"
        ).count(),
        "invariants checked": 8,
        "reconciliation run": run.pk,
        "breaks": breaks,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--since", required=True)
    parser.add_argument("--settle", type=float, default=180.0)
    args = parser.parse_args()
    print("PROOF " + json.dumps(prove(args.since, args.settle)), flush=True)


if __name__ == "__main__":
    main()
