"""Codes, times and fees shared by every shape."""

import secrets
import string
import time
from datetime import UTC, datetime

INTEGRATION_ID = 463433
ALPHABET = string.ascii_lowercase + string.digits


def iso(ts):
    """ISO-8601 UTC with milliseconds, as Paystack writes times: 2024-08-22T09:15:02.000Z."""
    if ts is None:
        return None
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now():
    return time.time()


def random_code(length=15):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def card_fee_kobo(amount):
    """NGN local card fee: 1.5%, plus NGN 100 above NGN 2,500, capped at NGN 2,000."""
    fee = (amount * 15 + 500) // 1000
    if amount > 250_000:
        fee += 10_000
    return min(fee, 200_000)


def dva_fee_kobo(amount):
    """Pay-with-transfer / DVA fee: 1%, capped at NGN 300."""
    return min((amount + 50) // 100, 30_000)


def transfer_fee_kobo(amount):
    """NGN transfer fee: NGN 10 up to NGN 5,000; NGN 25 up to NGN 50,000; NGN 50 above."""
    if amount <= 500_000:
        return 1_000
    if amount <= 5_000_000:
        return 2_500
    return 5_000
