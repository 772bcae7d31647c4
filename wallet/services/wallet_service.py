"""WalletService: the usage guide's facade over the wallet's operations.

Each family of operations lives in its own module and is mixed in here, so this file stays a
table of contents: core money movements, funding (cards, dedicated accounts), payouts (banks).
"""

from functools import cached_property

from wallet.services.funding.operations import FundingOperations
from wallet.services.ledger.operations import CoreOperations
from wallet.services.payouts import PayoutOperations


class WalletService(CoreOperations, FundingOperations, PayoutOperations):
    def __init__(self, paystack=None):
        if paystack is not None:
            self.__dict__["paystack"] = paystack

    @cached_property
    def paystack(self):
        from wallet.paystack import PaystackClient

        return PaystackClient()
