"""wallet_transfer(): the whole wallet-to-wallet transfer in one round trip on PostgreSQL.

The same steps as wallet.services.ledger.operations._transfer_orm (lock both wallets in ascending id order,
refuse locked wallets, other currencies, the daily limit and insufficient funds, write both
Transaction rows, the balanced ledger rows, the balances and the outflow counter), run inside
the database so a transfer costs one statement instead of seven. Refusals are raised with
SQLSTATEs of our own (class WL) that wallet.services.ledger.transfer_sql maps to WalletErrors.
Python still decides the amount and the fee; see docs/architecture.md.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION wallet_transfer(
    p_sender bigint, p_receiver bigint, p_amount numeric, p_sender_fee numeric,
    p_recipient_fee numeric, p_reference text, p_description text, p_metadata jsonb,
    p_now timestamptz, p_today date, p_daily_limit numeric
) RETURNS TABLE (sent_id bigint, sender_balance numeric, receiver_balance numeric)
LANGUAGE plpgsql AS $$
DECLARE
    s wallet_wallet%ROWTYPE;
    r wallet_wallet%ROWTYPE;
    v_debit numeric := p_amount + p_sender_fee;
    v_credit numeric := p_amount - p_recipient_fee;
    v_spent numeric;
    v_sent bigint;
BEGIN
    -- Lock order: ascending wallet id, as lock_wallets() does (no deadlocks with the ORM path).
    PERFORM 1 FROM wallet_wallet WHERE id IN (p_sender, p_receiver) ORDER BY id FOR UPDATE;
    SELECT * INTO s FROM wallet_wallet WHERE id = p_sender;
    SELECT * INTO r FROM wallet_wallet WHERE id = p_receiver;
    IF s.id IS NULL OR r.id IS NULL THEN
        RAISE EXCEPTION 'wallet not found' USING ERRCODE = 'WL404';
    END IF;
    IF s.is_locked THEN
        RAISE EXCEPTION 'sender locked' USING ERRCODE = 'WL423';
    END IF;
    IF r.is_locked THEN
        RAISE EXCEPTION 'receiver locked' USING ERRCODE = 'WL424';
    END IF;
    IF s.currency <> r.currency THEN
        RAISE EXCEPTION 'currency mismatch' USING ERRCODE = 'WL409';
    END IF;
    v_spent := CASE WHEN s.outflow_date = p_today THEN s.outflow_total ELSE 0 END;
    IF v_spent + v_debit > p_daily_limit THEN
        RAISE EXCEPTION '%', v_spent USING ERRCODE = 'WL429';
    END IF;
    IF s.balance < v_debit THEN
        RAISE EXCEPTION 'insufficient funds' USING ERRCODE = 'WL402';
    END IF;

    INSERT INTO wallet_transaction (
        wallet_id, reference, transaction_type, direction, status, channel, amount, fee,
        currency, description, metadata, failure_reason, created_at, completed_at,
        counterparty_wallet_id, related_transaction_id)
    VALUES (p_sender, p_reference, 'transfer', 'debit', 'success', 'internal', p_amount,
        p_sender_fee, s.currency, p_description, p_metadata, '', p_now, p_now, p_receiver, NULL)
    RETURNING id INTO v_sent;
    INSERT INTO wallet_transaction (
        wallet_id, reference, transaction_type, direction, status, channel, amount, fee,
        currency, description, metadata, failure_reason, created_at, completed_at,
        counterparty_wallet_id, related_transaction_id)
    VALUES (p_receiver, p_reference || '-in', 'transfer', 'credit', 'success', 'internal',
        v_credit, p_recipient_fee, s.currency, p_description, p_metadata, '', p_now, p_now,
        p_sender, v_sent);

    INSERT INTO wallet_ledgerentry (journal_id, wallet_id, system_account, amount, currency,
        created_at)
    SELECT v_sent, leg.wallet_id, leg.account, leg.amount, s.currency, p_now
    FROM (VALUES (p_sender, '', -v_debit), (p_receiver, '', v_credit),
                 (NULL::bigint, 'fee_revenue', p_sender_fee + p_recipient_fee))
         AS leg (wallet_id, account, amount)
    WHERE leg.amount <> 0;

    UPDATE wallet_wallet SET
        balance = balance + CASE WHEN id = p_sender THEN -v_debit ELSE v_credit END,
        outflow_date = CASE WHEN id = p_sender THEN p_today ELSE outflow_date END,
        outflow_total = CASE WHEN id = p_sender THEN v_spent + v_debit ELSE outflow_total END,
        updated_at = p_now
    WHERE id IN (p_sender, p_receiver);

    RETURN QUERY SELECT v_sent, s.balance - v_debit, r.balance + v_credit;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS wallet_transfer(bigint, bigint, numeric, numeric, numeric, " \
       "text, text, jsonb, timestamptz, date, numeric);"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0005_payouts_banks_settlements")]

    operations = [migrations.RunPython(create_function, drop_function)]
