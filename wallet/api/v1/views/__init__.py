"""v1's views, one module per journey: `wallet` (the wallet, history, receipts, limits),
`sending`, `funding` (card top-up, saved cards, dedicated account), `payouts` (banks, bank
accounts, withdrawals), `settlements` (settlements and their schedules)."""
