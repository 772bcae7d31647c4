"""The PostgreSQL fast path of a transfer: one call of the wallet_transfer() function.

Same rules and rows as the ORM path (wallet.services.ledger.operations._transfer_orm), one
round trip instead of seven; migration 0013 holds the function (0006 its first version, before
the KYC tiers). Python still parses the amount and
decides the fee. Refusals come back as SQLSTATEs of class WL, mapped here to WalletErrors.
"""

import json
from decimal import Decimal

import psycopg
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import Error, connection
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import (
    CurrencyMismatch,
    InsufficientFunds,
    OutflowsFrozen,
    RecipientDeactivated,
    WalletError,
    WalletLocked,
)
from wallet.models import Transaction
from wallet.services.ledger import limits

# The call, and the transfer's notice in the notifications' outbox (TransferNotice), in one
# statement: one round trip, and the notice commits exactly when the money does.
CALL = (
    "WITH sent AS (SELECT sent_id, sender_balance, receiver_balance FROM wallet_transfer("
    "%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)), "
    "noticed AS (INSERT INTO wallet_transfernotice (transaction_id) SELECT sent_id FROM sent) "
    "SELECT sent_id, sender_balance, receiver_balance FROM sent"
)


def runs_in_database() -> bool:
    return connection.vendor == "postgresql" and settings.WALLET_TRANSFER_IN_DATABASE


def transfer_in_database(sender, receiver, amount, fee, reference, description, metadata):
    """Transfer `amount` (+ fee) from `sender` to `receiver`; returns the sender's Transaction."""
    now = timezone.now()
    params = [
        sender.pk,
        receiver.pk,
        amount,
        fee.paid_by_sender,
        fee.paid_by_recipient,
        reference,
        description or "",
        _json(metadata),
        now,
        timezone.localdate(now),
        settings.WALLET_SAFETY_MODE_LIMIT,
    ]
    try:
        row = _call(params)
    except Error as error:
        raise _refusal(error, sender) from error
    sent_id, sender.balance, receiver.balance = row
    return _sent_record(
        sent_id, sender, receiver, amount, fee, reference, description, metadata, now
    )


def _call(params):
    if connection.in_atomic_block:
        # A savepoint, so a refusal leaves the caller's transaction usable.
        with db.atomic():
            return _execute(params)
    return _execute(params)  # autocommit: the call is its own transaction


def _execute(params):
    """The call, as a prepared statement where the connection may keep one: PostgreSQL then
    parses and plans it once per connection instead of on every transfer. Behind PgBouncer
    in transaction mode (settings: DATABASE_PGBOUNCER, so `prepare_threshold` None) the next
    transfer may reach another server connection, so there it is sent whole every time."""
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        with connection.cursor() as cursor:
            cursor.execute(CALL, params)
            return cursor.fetchone()
    # Server-side binding, which psycopg prepares (prepare_threshold 0: on first use); wrapped
    # as Django wraps its own cursors: errors become Django's, and the query is logged.
    raw = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        cursor.execute(CALL, params)
        row = cursor.fetchone()
    if connection.queries_logged and connection.queries_log[-1]["sql"] is None:
        # psycopg keeps no text for a run of a prepared statement: log the call as sent.
        connection.queries_log[-1]["sql"] = connection.ops.compose_sql(CALL, params)
    return row


def _json(metadata):
    return json.dumps(metadata or {}, cls=DjangoJSONEncoder)


def _refusal(error, sender):
    """The WalletError for a WL SQLSTATE; any other database error goes up unchanged.
    The limit refusals carry their figures in the message, as the ORM path words them."""
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None) or ""
    if not state.startswith("WL"):
        return error
    if state == "WL402":
        return InsufficientFunds()
    if state == "WL423":
        return WalletLocked("Your wallet is locked.")
    if state == "WL425":
        return OutflowsFrozen()
    if state == "WL424":
        return WalletLocked("The recipient's wallet is locked.")
    if state == "WL409":
        return CurrencyMismatch("Both wallets must hold the same currency.")
    if state == "WL410":
        return RecipientDeactivated()
    detail = cause.diag.message_primary or ""
    if state == "WL429":
        spent, limit = (Decimal(part) for part in detail.split("|"))
        return limits.daily_limit_exceeded(limit, spent)
    if state == "WL413":
        return limits.single_limit_exceeded(limits.tier_of(sender).name, Decimal(detail))
    if state == "WL403":
        return limits.operation_not_allowed(limits.tier_of(sender).name, "transfer")
    if state == "WL430":
        return limits.safety_limit_exceeded(
            settings.WALLET_SAFETY_MODE_LIMIT, Decimal(detail), sender.safety_reason
        )
    if state == "WL431":
        return limits.recipient_over_cap()
    return WalletError("The wallet could not be found.")


def _sent_record(sent_id, sender, receiver, amount, fee, reference, description, metadata, now):
    """The sender's Transaction as the function stored it, without reading it back."""
    record = Transaction.transfer_sent(
        sender=sender,
        receiver=receiver,
        amount=amount,
        fee=fee,
        reference=reference,
        description=description,
        metadata=metadata,
        at=now,
    )
    record.id = sent_id
    record._state.adding = False
    record._state.db = connection.alias
    return record
