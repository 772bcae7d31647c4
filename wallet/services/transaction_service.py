"""TransactionService: the usage guide's facade for history, verification, refunds, reversals."""

from functools import cached_property

from wallet.models import Transaction
from wallet.services.funding.refunds import RefundOperations
from wallet.services.ledger.reversals import reverse_internal


class CoreTransactionOperations:
    def list_transactions(self, wallet, transaction_type=None, status=None, limit=20, offset=0):
        """The wallet's transactions, newest first, optionally filtered by type and status."""
        queryset = Transaction.objects.filter(wallet=wallet)
        if transaction_type:
            queryset = queryset.filter(transaction_type=transaction_type)
        if status:
            queryset = queryset.filter(status=status)
        limit, offset = max(0, min(int(limit), 500)), max(0, int(offset))
        return list(queryset.order_by("-created_at", "-id")[offset : offset + limit])

    def reverse_transaction(self, transaction, reason=None, *, via="") -> Transaction:
        """Reverse a successful internal transaction through the ledger, on every wallet it
        touched. Raises TransactionFailed (not reversible / already reversed), InsufficientFunds.
        `via`: who asked, kept with the status changes (the back-office timeline).
        """
        return reverse_internal(transaction, reason or "", via=via)


class TransactionService(CoreTransactionOperations, RefundOperations):
    def __init__(self, paystack=None):
        if paystack is not None:
            self.__dict__["paystack"] = paystack

    @cached_property
    def paystack(self):
        from wallet.paystack import PaystackClient

        return PaystackClient()
