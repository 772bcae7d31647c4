"""How long finding a recipient takes among many customers, by each kind of query.

    bash .ci/with-postgres.sh .venv/bin/python bench/recipients.py [--users 100000] [--repeat 200]

Creates the customers and their wallets in SQL (generate_series: a handle, a phone and an
e-mail each), then times `wallet.selectors.find_recipient` for a handle (`@name`, any case),
an e-mail, a phone typed the Nigerian way and a wallet code, plus an id that must find nobody.
Prints the median and p95 wall time per kind (each run is one query on a warm connection) and
EXPLAIN's plans for the handle and e-mail lookups, to show they use the Lower() indexes.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from wallet import selectors  # noqa: E402
from wallet.models import Wallet  # noqa: E402

USERS_SQL = """
INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff, is_active,
    date_joined, email, phone, handle)
SELECT '!', false, 'Bench', 'User ' || g, false, true, now(),
    'bench' || g || '@example.com', '+234803' || lpad(g::text, 7, '0'), 'bench_' || g
FROM generate_series(1, %(users)s) AS g
ON CONFLICT DO NOTHING
"""
WALLETS_SQL = """
INSERT INTO wallet_wallet (user_id, public_id, currency, balance, is_locked, outflow_total,
    tier, safety_spent, safety_reason, created_at, updated_at)
SELECT u.id, upper(substr(md5(u.id::text || 'bench'), 1, 10)), 'NGN', 0, false, 0, 1, 0, '',
    now(), now()
FROM accounts_user u
WHERE u.email LIKE 'bench%%@example.com'
  AND NOT EXISTS (SELECT 1 FROM wallet_wallet w WHERE w.user_id = u.id)
"""


def build(users):
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(USERS_SQL, {"users": users})
        cursor.execute(WALLETS_SQL)
        cursor.execute("ANALYZE accounts_user; ANALYZE wallet_wallet;")


def timed(query, repeat):
    found, times = None, []
    for _ in range(repeat):
        start = time.perf_counter()
        found = selectors.find_recipient(query)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return found, statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    build(args.users)
    middle = args.users // 2
    code = Wallet.objects.get(user__email=f"bench{middle}@example.com").public_code
    queries = {
        "handle": f"@Bench_{middle}",
        "e-mail": f"bench{middle}@example.com",
        "phone": f"0803 {middle:07d}"[:8] + " " + f"{middle:07d}"[3:],  # "0803 005 0000"
        "wallet code": code,
        "sequential id (finds nobody)": str(Wallet.objects.order_by("pk").first().pk),
    }
    print(f"{Wallet.objects.count():,} wallets; {args.repeat} runs per kind")
    for kind, query in queries.items():
        found, median, p95 = timed(query, args.repeat)
        who = found.user.email if found else "nobody"
        print(f"  {kind:<30} {query!r:<28} median {median:6.2f} ms  p95 {p95:6.2f} ms  -> {who}")
    plans = {
        "handle": ("LOWER(handle) = %s AND NOT (handle = '')", f"bench_{middle}"),
        "e-mail": ("LOWER(email) = %s", f"bench{middle}@example.com"),
    }
    with connection.cursor() as cursor:
        for kind, (where, value) in plans.items():
            cursor.execute(f"EXPLAIN SELECT id FROM accounts_user WHERE {where}", [value])
            print(f"Plan, {kind}:", " / ".join(row[0].strip() for row in cursor))


if __name__ == "__main__":
    main()
