"""The only code that speaks HTTP to Paystack (or to the local sandbox, which speaks the same).

Every method returns the `data` part of Paystack's envelope, as Paystack sends it: dicts and
lists with amounts as integers in kobo. Convert with `to_subunit` / `from_subunit` (exact, here
and nowhere else). Errors:

- `PaystackAPIError`: Paystack answered and said no (`http_status`, `code`, `error_type`,
  `message`, and `next_step` when Paystack gives one). Nothing happened at Paystack.
- `PaystackUnavailable` (a PaystackAPIError with `inconclusive = True`): a timeout, a dropped
  connection, a 5xx or an unreadable answer. The request may or may not have taken effect:
  find out with a verify call, or retry with the same reference.

Only GET lookups are retried automatically (urllib3 Retry); a POST is sent once. The secret key
and card data never reach the logs.
"""

from wallet.paystack.client import PaystackClient
from wallet.paystack.money import from_subunit, to_subunit
from wallet.paystack.signatures import verify_webhook_signature

__all__ = ["PaystackClient", "from_subunit", "to_subunit", "verify_webhook_signature"]
