"""Pay anyone, get paid by anyone (issue 24): the public payment page and its QR code.

- `pages.py`    which customer a `/pay/@handle` or request link names, and whether it takes
                payments (a missing, switched-off or locked page all read the same);
- `payments.py` a payer with no account starts a Paystack checkout into the customer's wallet.
                The deposit it makes is credited by the one charge path of top-ups
                (`funding/charges.py`: callback, webhook, reconcile job; once per reference);
- `qr.py`       the QR code of a link (segno).
"""
