"""CPU of the Django process per back-office list page: the three lists Locust's "staff lists"
scenario opens (transactions, payouts, webhook events), as the load test's staff user (a
superuser with TOTP; `--role Finance`: staff in that role), DEBUG off, reads routed through
the replica router (the replica URL is the primary's own, so the router's gates and lag check
run as in the cluster).

    bash .ci/with-postgres.sh .venv/bin/python bench/backoffice_lists.py \
        [--rows 5000] [--repeat 30] [--base /path/to/other/checkout] [--profile payouts]

Builds `--rows` transactions for 200 customers, a payout for each withdrawal, and as many
webhook events, in SQL. Then each code tree (`--base`, if given, and this one) is measured in
a fresh process of its own against the same database and the same signed-in session: a warm-up
request, then `--repeat` requests per page, printing the median and p95 CPU milliseconds
(time.process_time around the test client's whole request and render) and the query count.
`--profile NAME` prints cProfile's top functions for one page of this tree instead (and
leaves the whole profile in /tmp/backoffice-lists-NAME.prof for pstats).
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PAGES = {
    "transactions": "/admin/wallet/transaction/",
    "payouts": "/admin/wallet/payout/",
    "webhook events": "/admin/wallet/webhookevent/",
}
CUSTOMERS = 200
ROWS_TAGGED = {"tag": "bl", "phone": "+234805"}  # bench/bulk_customers.py

BANK_SQL = """
INSERT INTO wallet_bank (name, code, slug, longcode, type, currency, country, active)
VALUES ('Bench Bank', '999', 'bench-bank', '', 'nuban', 'NGN', 'Nigeria', true)
"""
BANK_ACCOUNTS_SQL = """
INSERT INTO wallet_bankaccount (wallet_id, bank_id, account_number, account_name,
    recipient_code, currency, is_active, is_default, created_at, updated_at)
SELECT w.id, b.id, lpad(w.id::text, 10, '0'), 'Customer ' || w.id, 'RCP_bl' || w.id, 'NGN',
    true, true, w.created_at, w.created_at
FROM wallet_wallet w, wallet_bank b WHERE b.code = '999'
"""
# Four in ten are withdrawals (each with a payout); one in ten failed; the newest few are open.
TRANSACTIONS_SQL = """
INSERT INTO wallet_transaction (wallet_id, reference, transaction_type, direction, status,
    channel, amount, fee, currency, description, metadata, failure_reason, created_at,
    completed_at)
SELECT w.first + g %% %(customers)s, 'bl-' || g,
    CASE WHEN g %% 10 < 6 THEN 'deposit' ELSE 'withdrawal' END,
    CASE WHEN g %% 10 < 6 THEN 'credit' ELSE 'debit' END,
    CASE WHEN g %% 10 = 9 THEN 'failed'
         WHEN g > %(rows)s - 100 THEN 'pending' ELSE 'success' END,
    CASE WHEN g %% 10 < 6 THEN 'card' ELSE 'internal' END,
    100 + (g %% 7) * 10, 0, 'NGN', 'Bench row ' || g, '{}'::jsonb,
    CASE WHEN g %% 10 = 9 THEN 'Declined' ELSE '' END,
    now() - (%(rows)s - g) * interval '10 minutes', now() - (%(rows)s - g) * interval '10 minutes'
FROM generate_series(1, %(rows)s) AS g,
    (SELECT min(id) AS first FROM wallet_wallet) AS w
"""
PAYOUTS_SQL = """
INSERT INTO wallet_payout (transaction_id, bank_account_id, reference, recipient_code,
    amount_kobo, reason, transfer_code, paystack_status, attempts, last_error, created_at,
    updated_at)
SELECT t.id, a.id, 'PO-' || t.reference, a.recipient_code, (t.amount * 100)::bigint, '',
    'TRF_' || t.id, 'success', 1,
    CASE WHEN t.status = 'pending' THEN 'Timed out
Traceback...' ELSE '' END, t.created_at, t.created_at
FROM wallet_transaction t JOIN wallet_bankaccount a ON a.wallet_id = t.wallet_id
WHERE t.transaction_type = 'withdrawal' AND t.reference LIKE 'bl-%%'
"""
WEBHOOKS_SQL = """
INSERT INTO wallet_webhookevent (event_key, event, status, payload, raw_body, signature,
    remote_addr, attempts, deliveries, last_error, received_at, processed_at, updated_at,
    reference, customer_id)
SELECT 'charge.success:bl-' || t.id, 'charge.success',
    CASE WHEN t.id %% 20 = 0 THEN 'failed' ELSE 'processed' END,
    jsonb_build_object('event', 'charge.success', 'data', jsonb_build_object('reference',
    t.reference)), '{"event": "charge.success"}', 'sig', '52.31.139.75', 1, 1, '',
    t.created_at, t.created_at, t.created_at, t.reference, w.user_id
FROM wallet_transaction t JOIN wallet_wallet w ON w.id = t.wallet_id
WHERE t.reference LIKE 'bl-%%'
"""


def django_env(database_url: str, secret_key: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "walletsite.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "DATABASE_REPLICA_URL": database_url,
        "PAYSTACK_SECRET_KEY": "sk_test_sandbox_secret_key",
        "PAYSTACK_PUBLIC_KEY": "pk_test_sandbox_public_key",
        # Hashed names from a manifest, as in production, without compressing every file.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    }


def setup_django(tree: Path):
    sys.path.insert(0, str(tree))
    import django

    django.setup()


def build(rows: int, role: str | None) -> str:
    """The data and a signed-in staff session (a superuser, or staff in `role`); returns the
    session key."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.bulk_customers import USERS_SQL, WALLETS_SQL

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for sql in (USERS_SQL, WALLETS_SQL, BANK_SQL, BANK_ACCOUNTS_SQL, TRANSACTIONS_SQL,
                    PAYOUTS_SQL, WEBHOOKS_SQL):  # fmt: skip
            cursor.execute(sql, {"rows": rows, "customers": CUSTOMERS, **ROWS_TAGGED})
        for table in ("wallet_transaction", "wallet_payout", "wallet_webhookevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        counts = {}
        for table in ("wallet_transaction", "wallet_payout", "wallet_webhookevent"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    print("rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    if role:
        from django.contrib.auth.models import Group

        staff = User.objects.create_user(
            email="bl-staff@example.com", password="x" * 20, is_staff=True
        )
        staff.groups.add(Group.objects.get(name=role))
    else:
        staff = User.objects.create_superuser(email="bl-staff@example.com", password="x" * 20)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(staff)
    return client.cookies["sessionid"].value


def measure(session: str, repeat: int) -> dict:
    """Per page: median and p95 CPU ms, and the queries of one request."""
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = session
    results = {}
    for name, url in PAGES.items():
        get(client, url)  # warm-up: imports, template compilation, the replica's lag check
        cpu = []
        for _ in range(repeat):
            started = time_cpu()
            get(client, url)
            cpu.append((time_cpu() - started) * 1000)
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections["replica"]) as replica,
        ):
            get(client, url)
        cpu.sort()
        results[name] = {
            "median": statistics.median(cpu),
            "p95": cpu[min(len(cpu) - 1, round(0.95 * (len(cpu) - 1)))],
            "queries": len(primary) + len(replica),
            "replica": len(replica),
        }
    return results


def time_cpu() -> float:
    import time

    return time.process_time()


def get(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response.content


def profile(session: str, page: str, repeat: int) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = session
    get(client, PAGES[page])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        get(client, PAGES[page])
    profiler.disable()
    profiler.dump_stats(f"/tmp/backoffice-lists-{page.replace(' ', '-')}.prof")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


def child(args) -> None:
    setup_django(Path(args.tree))
    from django.conf import settings
    from django.core.management import call_command

    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        # The tree's own static files and their manifest, in a directory of this run's.
        settings.STATIC_ROOT = static_root
        call_command("collectstatic", "--noinput", verbosity=0)
        if args.profile:
            profile(args.session, args.profile, args.repeat)
        else:
            print(json.dumps(measure(args.session, args.repeat)))


def run_tree(tree: Path, env: dict, session: str, repeat: int, page: str | None = None):
    command = [sys.executable, __file__, "--child", "--tree", str(tree), "--session", session,
               "--repeat", str(repeat)]  # fmt: skip
    if page:
        command += ["--profile", page]
    out = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{tree}: {out.stderr[-3000:]}")
    return out.stdout if page else json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--base", help="another checkout measured first, as the baseline")
    parser.add_argument("--profile", choices=list(PAGES))
    parser.add_argument("--role", help="a back-office role (Finance, Support...), not a superuser")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    parser.add_argument("--session", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    env = django_env(os.environ["DATABASE_URL"], secrets.token_urlsafe(50))
    os.environ.update(env)
    setup_django(HERE)
    session = build(args.rows, args.role)
    if args.profile:
        print(run_tree(HERE, env, session, args.repeat, args.profile))
        return None
    trees = [("base", Path(args.base))] if args.base else []
    trees.append(("this", HERE))
    results = {label: run_tree(tree, env, session, args.repeat) for label, tree in trees}
    load = os.getloadavg()[0]
    who = f"staff in the {args.role} role" if args.role else "a superuser"
    print(f"load average {load:.1f} on {os.cpu_count()} cores; {args.repeat} requests per page")
    print(f"as {who}")
    header = f"{'page':16}" + "".join(
        f" {label + ' CPU ms':>14} {'p95':>7} {'queries':>8}" for label, _ in trees
    )
    print(header)
    for name in PAGES:
        line = f"{name:16}"
        for label, _ in trees:
            r = results[label][name]
            line += f" {r['median']:14.1f} {r['p95']:7.1f} {r['queries']:5} ({r['replica']})"
        print(line)
    print("queries: all of one request (in brackets: those the replica answered)")
    return None


if __name__ == "__main__":
    main()
