"""Money in from Paystack: card checkout, saved cards, dedicated accounts, webhooks, refunds.

Modules: `charges` (the one exactly-once credit path for a charge), `operations` (the
WalletService mixin), `cards` (saved cards), `checkout` (callback URLs), `dedicated_accounts`
(bank transfers into a customer's own account number), `webhooks` (store, verify, process),
`refunds` (the TransactionService mixin), `refund_matching` (which local refund a Paystack
refund or refund webhook is) and `reconcile` (the jobs that settle what a lost
callback or webhook left pending).
"""
