"""Card refunds and Paystack verification (the funding issue fills this in)."""


class RefundOperations:
    """verify_paystack_transaction and refund_transaction, mixed into TransactionService."""
