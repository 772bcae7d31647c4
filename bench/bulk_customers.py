"""Customers with wallets by the thousand, in two statements, for the back-office benches
(bench/backoffice.py, bench/backoffice_lists.py). Each bench names its rows with its own `tag`
and phone prefix, so the rows of one never look like the other's.

    cursor.execute(USERS_SQL, {"customers": N, "tag": "bo", "phone": "+234803"})
    cursor.execute(WALLETS_SQL, {"tag": "bo"})
"""

USERS_SQL = """
INSERT INTO accounts_user (password, is_superuser, email, first_name, last_name, is_staff,
    is_active, date_joined, phone, handle)
SELECT '!', false, %(tag)s || '-customer-' || g || '@example.com', 'Customer', '#' || g, false,
    true, now() - interval '400 days', %(phone)s || lpad(g::text, 7, '0'),
    %(tag)s || 'customer' || g
FROM generate_series(1, %(customers)s) AS g
"""
WALLETS_SQL = """
INSERT INTO wallet_wallet (user_id, public_id, currency, balance, is_locked, outflow_total, tier,
    safety_spent, safety_reason, created_at, updated_at)
SELECT id, upper(substr(md5(%(tag)s || id), 1, 10)), 'NGN', 0, false, 0, 3, 0, '', date_joined,
    date_joined
FROM accounts_user WHERE email LIKE %(tag)s || '-customer-%%'
"""
