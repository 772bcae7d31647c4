"""Server time of the back office with 1,000,000 transactions: the dashboard, the transaction
list (first page, filtered, "created" spans, the year/month/day drill-down, searched by
reference), a customer page, the global search (a phone as spoken, a reference fragment in
another case, an amount) and a money object's timeline.

    bash .ci/with-postgres.sh .venv/bin/python bench/backoffice.py [--rows 1000000] [--repeat 40]

Builds 10,000 customers and their history in SQL (generate_series), consistently: every
successful row posts a balanced pair of ledger rows (the wallet and the platform account),
failed and pending rows post none, cached balances are the sums of the wallets' rows, and
`check_ledger` confirms it before anything is timed. A Paystack sandbox answers the dashboard's
GET /balance. Requests go through Django's full stack in-process as a superuser with TOTP
(DEBUG off). Prints median and p95 wall time and the median CPU time of the Django process.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bulk_customers import USERS_SQL, WALLETS_SQL  # noqa: E402
from tests.factories import make_user  # noqa: E402
from tests.fixtures.sandbox import start_sandbox_process, stop_sandbox_process  # noqa: E402
from wallet.services.ledger.check import check_ledger  # noqa: E402

CUSTOMERS = 10_000
ROWS_TAGGED = {"tag": "bo", "phone": "+234803"}  # bench/bulk_customers.py
# g grows with time (the newest row has the highest id, as in production). One row in ten
# failed; card deposits every fifth deposit; the last 200 card deposits are still pending.
TRANSACTIONS_SQL = """
INSERT INTO wallet_transaction (wallet_id, reference, transaction_type, direction, status,
    channel, amount, fee, currency, description, metadata, failure_reason, created_at,
    completed_at)
SELECT w.first + (g / 10) %% %(customers)s, 'bo-' || g,
    CASE WHEN g %% 10 < 6 THEN 'deposit' ELSE 'withdrawal' END,
    CASE WHEN g %% 10 < 6 THEN 'credit' ELSE 'debit' END,
    CASE WHEN g %% 10 = 9 THEN 'failed'
         WHEN g > %(rows)s - 2000 AND g %% 10 = 0 THEN 'pending' ELSE 'success' END,
    CASE WHEN g %% 10 IN (0, 5) THEN 'card' ELSE 'internal' END,
    CASE WHEN g %% 10 < 6 THEN 100 + (g %% 7) * 10 ELSE 50 + (g %% 5) * 5 END,
    0, 'NGN', 'Bench row ' || g, '{}'::jsonb,
    CASE WHEN g %% 10 = 9 THEN 'Declined' ELSE '' END,
    now() - (%(rows)s - g) * interval '30 seconds', now() - (%(rows)s - g) * interval '30 seconds'
FROM generate_series(1, %(rows)s) AS g,
    (SELECT min(ww.id) AS first FROM wallet_wallet ww JOIN accounts_user u ON u.id = ww.user_id
     WHERE u.email LIKE 'bo-customer-%%') AS w
"""
LEDGER_SQL = """
INSERT INTO wallet_ledgerentry (journal_id, wallet_id, system_account, amount, currency, created_at)
SELECT id, wallet_id, '', CASE direction WHEN 'credit' THEN amount ELSE -amount END, currency,
    created_at
FROM wallet_transaction WHERE reference LIKE 'bo-%%' AND status = 'success'
UNION ALL
SELECT id, NULL, 'platform', CASE direction WHEN 'credit' THEN -amount ELSE amount END, currency,
    created_at
FROM wallet_transaction WHERE reference LIKE 'bo-%%' AND status = 'success'
"""
BALANCE_SQL = """
UPDATE wallet_wallet w SET balance = s.total
FROM (SELECT wallet_id, SUM(amount) AS total FROM wallet_ledgerentry
      WHERE wallet_id IS NOT NULL GROUP BY wallet_id) AS s
WHERE s.wallet_id = w.id
"""


def build(rows):
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in (USERS_SQL, WALLETS_SQL, TRANSACTIONS_SQL, LEDGER_SQL, BALANCE_SQL):
            cursor.execute(sql, {"rows": rows, "customers": CUSTOMERS, **ROWS_TAGGED})
        for table in ("accounts_user", "wallet_wallet", "wallet_transaction", "wallet_ledgerentry"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"built {rows:,} transactions in {time.perf_counter() - started:.1f} s")
    report = check_ledger()
    print(f"check_ledger: {'OK' if report.ok else 'DIFFERENCES'}")
    if not report.ok:
        sys.exit(report.text())


def staff_client():
    staff = make_user(email=f"bo-staff{time.time_ns()}@example.com", is_staff=True)
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(staff)
    return client


def timed(client, url, repeat, cold=False):
    from django.core.cache import cache

    samples, cpu = [], []
    for _ in range(repeat):
        if cold:
            cache.clear()  # the dashboard sums the ledger again, as after its minute is up
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        response.content  # noqa: B018 - rendering is part of the time
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, statistics.median(cpu)


def pages(rows):
    from wallet.models import Transaction, Wallet

    customer = Wallet.objects.filter(user__email="bo-customer-4242@example.com").get().user
    fragment = f"O-{rows // 3}"[:-1]  # "bo-333333" read out as "O-33333": part, other case
    withdrawal = Transaction.objects.get(reference=f"bo-{rows // 3 // 10 * 10 + 6}").pk
    month_ago = timezone.localdate() - timedelta(days=30)
    day = f"created_at__year={month_ago.year}&created_at__month={month_ago.month}"
    return [
        ("dashboard, sums recomputed (cold)", "/admin/", True),
        ("dashboard, sums from the last minute", "/admin/"),
        ("transactions, first page", "/admin/wallet/transaction/"),
        (
            "transactions, filtered (withdrawal, failed)",
            "/admin/wallet/transaction/?transaction_type__exact=withdrawal&status__exact=failed",
        ),
        ("transactions, created in the last 7 days", "/admin/wallet/transaction/?created=7d"),
        ("transactions, drill-down: one month", f"/admin/wallet/transaction/?{day}"),
        (
            "transactions, drill-down: one day",
            f"/admin/wallet/transaction/?{day}&created_at__day={month_ago.day}",
        ),
        ("transactions, exact reference", f"/admin/wallet/transaction/?q=bo-{rows // 3}"),
        ("refundable deposits, first page", "/admin/wallet/refundabledeposit/"),
        ("customer page (360)", f"/admin/customer/{customer.pk}/"),
        ("global search: phone 0803 000 4242", "/admin/search/?q=0803+000+4242"),
        ("global search: reference fragment", f"/admin/search/?q={fragment}"),
        ("global search: amount ₦130", "/admin/search/?q=130.00"),
        ("global search: an amount nobody paid", "/admin/search/?q=12345.67"),
        ("timeline of a withdrawal", f"/admin/timeline/{withdrawal}/"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    settings.DEBUG = False
    build(args.rows)
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as directory:
        process, base_url = start_sandbox_process(directory)
        settings.PAYSTACK_BASE_URL = base_url
        try:
            report(staff_client(), pages(args.rows), args.repeat)
            explain_search(args.rows)
        finally:
            stop_sandbox_process(process)


def report(client, urls, repeat):
    load = os.getloadavg()[0]
    print(f"\nload average {load:.1f} on {os.cpu_count()} cores (other work shares the CPUs)")
    print(f"{'page':48} {'median ms':>10} {'p95 ms':>10} {'CPU ms':>8}")
    for name, url, *cold in urls:
        median, p95, cpu = timed(client, url, repeat, cold=bool(cold))
        print(f"{name:48} {median:10.1f} {p95:10.1f} {cpu:8.1f}")


def explain_search(rows):
    """The plans behind the global search's reference fragment and phone (docs/PERFORMANCE.md)."""
    from accounts.models import User
    from wallet.models import Transaction

    fragment = f"O-{rows // 3}"[:-1]
    for name, queryset in [
        ("reference fragment", Transaction.objects.filter(reference__icontains=fragment)),
        ("phone", User.objects.filter(phone="+2348030004242")),
        (
            "an amount nobody paid",
            Transaction.objects.filter(amount=Decimal("12345.67")),
        ),
    ]:
        plan = queryset.order_by("-id")[:20].explain(analyze=True)
        print(f"\nEXPLAIN ANALYZE ({name}):\n{plan}")


if __name__ == "__main__":
    main()
