"""Wallet models, one module per aggregate; re-exported here so `wallet.models.X` works."""

from wallet.models.fee_rule import FeeBearer, FeeOperation, FeeRule
from wallet.models.idempotency import IdempotencyKey
from wallet.models.ledger import AppendOnlyError, LedgerCheck, LedgerEntry, SystemAccount
from wallet.models.transaction import (
    FINAL_STATUSES,
    IN_FLIGHT_STATUSES,
    Channel,
    Direction,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.models.wallet import Wallet

__all__ = [
    "FINAL_STATUSES",
    "IN_FLIGHT_STATUSES",
    "AppendOnlyError",
    "Channel",
    "Direction",
    "FeeBearer",
    "FeeOperation",
    "FeeRule",
    "IdempotencyKey",
    "LedgerCheck",
    "LedgerEntry",
    "SystemAccount",
    "Transaction",
    "TransactionStatus",
    "TransactionType",
    "Wallet",
]
