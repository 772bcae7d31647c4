"""Safe outflows: what stands between a session and the money leaving a wallet.

- `pin.py`          the 4-digit transaction PIN: set, change, verify (wrong tries counted under
                    a row lock, locked after 5 for 30 minutes), reset by e-mailed link.
- `guard.py`        the PIN check the pages and the JSON API make before every outflow.
- `tiers.py`        KYC tiers: defaults, staff edits (versioned), moving a wallet between tiers.
- `identification.py`  tier upgrades through Paystack's customer identification.
- `safety.py`       safety mode after a sign-in from a browser not seen before.
- `transfer_otp.py` Paystack's transfer OTP: turning it off, or Finance entering it.
- `notifications.py` the e-mails these send.

The limits themselves are enforced where the money moves (`ledger/limits.py`, the SQL
function of migration 0013): the service layer below the guards stays as the guide uses it.
"""
