"""Money requests (issue 24): one customer asks another for an amount; the other pays it with
the PIN (a wallet transfer) or declines; the requester may cancel it; it expires.

- `operations.py` create, pay (at most once: the request row is locked in the transaction that
                  moves the money), decline, cancel, block;
- `settle.py`     a request paid by its public link, closed by the charge that credited it;
- `notices.py`    the e-mail to the customer asked.
"""
