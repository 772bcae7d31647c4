"""Wallet models, one module per aggregate; re-exported here so `wallet.models.X` works."""

from wallet.models import history  # noqa: F401  (registers the staff roles' history)
from wallet.models.api_token import ApiToken, TokenScope
from wallet.models.approval import ApprovalRequest, ApprovalStatus
from wallet.models.audit import BACKOFFICE_PERMISSIONS, AuditEntry, AuditOutcome
from wallet.models.bank import Bank
from wallet.models.bank_account import BankAccount
from wallet.models.beneficiary import Beneficiary
from wallet.models.card import Card
from wallet.models.dedicated_account import DedicatedAccount
from wallet.models.dispute import Dispute
from wallet.models.fee_rule import FeeBearer, FeeOperation, FeeRule
from wallet.models.funding_anomaly import ChargeAnomaly
from wallet.models.idempotency import IdempotencyKey
from wallet.models.identification import CustomerIdentification
from wallet.models.ledger import (
    AppendOnlyError,
    LedgerCheck,
    LedgerCheckpoint,
    LedgerEntry,
    SystemAccount,
)
from wallet.models.money_request import MoneyRequest, MoneyRequestStatus, RequestBlock
from wallet.models.notification import (
    ALWAYS_EMAILED,
    Notification,
    NotificationKind,
    NotificationSettings,
    TransferNotice,
)
from wallet.models.operations import AlertDigest, CustomerNote, PaystackCall
from wallet.models.pay_link import LinkPayment, PayLinkSetting
from wallet.models.payout import Payout
from wallet.models.pin import KnownDevice, TransactionPin
from wallet.models.reconciliation import ReconciliationMismatch, ReconciliationRun
from wallet.models.refund import Refund, RefundableDeposit
from wallet.models.settlement import (
    AmountMode,
    ScheduleType,
    Settlement,
    SettlementRun,
    SettlementRunOutcome,
    SettlementSchedule,
    Weekday,
)
from wallet.models.status_change import TransactionStatusChange
from wallet.models.support import SupportCase, SupportMessage
from wallet.models.tier import KycTier, KycTierVersion, TierChange
from wallet.models.transaction import (
    FINAL_STATUSES,
    IN_FLIGHT_STATUSES,
    PAYOUT_TYPES,
    Channel,
    Direction,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.models.wallet import Wallet
from wallet.models.webhook import WebhookEvent, WebhookRefusal

__all__ = [
    "AlertDigest",
    "CustomerNote",
    "PaystackCall",
    "ALWAYS_EMAILED",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "TransferNotice",
    "ApprovalRequest",
    "ApprovalStatus",
    "AuditEntry",
    "AuditOutcome",
    "BACKOFFICE_PERMISSIONS",
    "ApiToken",
    "TokenScope",
    "CustomerIdentification",
    "Dispute",
    "SupportCase",
    "SupportMessage",
    "KnownDevice",
    "KycTier",
    "KycTierVersion",
    "TierChange",
    "TransactionPin",
    "AmountMode",
    "Bank",
    "BankAccount",
    "Beneficiary",
    "LinkPayment",
    "MoneyRequest",
    "MoneyRequestStatus",
    "PayLinkSetting",
    "RequestBlock",
    "Payout",
    "ReconciliationMismatch",
    "ReconciliationRun",
    "ScheduleType",
    "Settlement",
    "SettlementRun",
    "SettlementRunOutcome",
    "SettlementSchedule",
    "Weekday",
    "FINAL_STATUSES",
    "IN_FLIGHT_STATUSES",
    "PAYOUT_TYPES",
    "AppendOnlyError",
    "Card",
    "ChargeAnomaly",
    "DedicatedAccount",
    "Refund",
    "RefundableDeposit",
    "WebhookEvent",
    "WebhookRefusal",
    "Channel",
    "Direction",
    "FeeBearer",
    "FeeOperation",
    "FeeRule",
    "IdempotencyKey",
    "LedgerCheck",
    "LedgerCheckpoint",
    "LedgerEntry",
    "SystemAccount",
    "Transaction",
    "TransactionStatus",
    "TransactionStatusChange",
    "TransactionType",
    "Wallet",
]
