"""The staff back office's writes and reads, called by wallet/admin/:

- `audit.py`      the append-only audit trail (`record`) and what a row looked like (`snapshot`);
- `catalogue.py`  every staff action: its permission, what it applies to, its amount;
- `actions.py`    `perform`: permission, reason, maker-checker, the service call, the audit entry;
- `approvals.py`  maker-checker requests: approve (once, by someone else), reject, expire;
- `adjustments.py` a manual credit or debit against a named system account;
- `dashboard.py`  the home page's figures, from the ledger in a bounded number of queries;
- `customer.py`   the customer "360" page's reads;
- `alerts.py`     what is past its threshold, and the digest e-mailed to OPS_ALERT_EMAILS;
- `repairs.py`    reconcile a period, book a payment Paystack has, restore a balance to the
                  ledger, acknowledge a refused webhook (registered by `operations_actions.py`,
                  with staff notes on a customer).
"""
