"""The ledger core: every money movement inside the site (LEDGER.md).

Modules: `posting` (Leg, lock_wallets, post: the only writer of ledger rows and balances),
`operations` (the WalletService mixin: deposit, withdraw, transfer), `transfer_sql` (the same
transfer as one PostgreSQL function call), `limits` (amount rules and the daily outflow),
`fees`, `idempotency` (reference replay), `retry` (deadlock/serialization retry),
`reversals` (reversing an internal transaction) and `check` (the ledger check).
"""
