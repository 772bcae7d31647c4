"""Paystack object shapes built from the stored records (one module per family), plus codes,
times and fees."""

from .basics import (  # noqa: F401
    INTEGRATION_ID,
    card_fee_kobo,
    dva_fee_kobo,
    iso,
    now,
    random_code,
    transfer_fee_kobo,
)
from .customers import customer_full_shape, customer_shape  # noqa: F401
from .payouts import bank_shape, recipient_shape, transfer_shape  # noqa: F401
from .refunds import refund_created_shape, refund_shape, refund_webhook_data  # noqa: F401
from .transactions import authorization_shape, transaction_shape  # noqa: F401
