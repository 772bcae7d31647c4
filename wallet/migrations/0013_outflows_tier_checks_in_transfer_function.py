"""The CBN default tiers, and wallet_transfer() with the tier rules (replaces migration 0006's).

The function keeps 0006's steps (ascending-id locks, locked wallets, currency, the ledger rows,
the outflow counter) and now reads the sender's and receiver's KYC tier under those same locks:
the operation must be allowed, one transfer may not pass the single limit, today's outflow may
not pass the daily limit, safety mode caps what a new device may send, and the receiver may
not pass its balance cap. Funds are checked first, so a transfer that cannot be paid says so
rather than naming a limit. New SQLSTATEs are mapped in wallet.services.ledger.transfer_sql.
"""

import importlib
from decimal import Decimal

from django.db import migrations

OLD = importlib.import_module("wallet.migrations.0006_transfer_function")

CREATE = r"""
CREATE FUNCTION wallet_transfer(
    p_sender bigint, p_receiver bigint, p_amount numeric, p_sender_fee numeric,
    p_recipient_fee numeric, p_reference text, p_description text, p_metadata jsonb,
    p_now timestamptz, p_today date, p_safety_limit numeric
) RETURNS TABLE (sent_id bigint, sender_balance numeric, receiver_balance numeric)
LANGUAGE plpgsql AS $$
DECLARE
    s wallet_wallet%ROWTYPE;
    r wallet_wallet%ROWTYPE;
    st wallet_kyctier%ROWTYPE;
    rt wallet_kyctier%ROWTYPE;
    v_debit numeric := p_amount + p_sender_fee;
    v_credit numeric := p_amount - p_recipient_fee;
    v_spent numeric;
    v_safety numeric;
    v_sent bigint;
BEGIN
    -- Lock order: ascending wallet id, as lock_wallets() does (no deadlocks with the ORM path).
    PERFORM 1 FROM wallet_wallet WHERE id IN (p_sender, p_receiver) ORDER BY id FOR UPDATE;
    SELECT * INTO s FROM wallet_wallet WHERE id = p_sender;
    SELECT * INTO r FROM wallet_wallet WHERE id = p_receiver;
    IF s.id IS NULL OR r.id IS NULL THEN
        RAISE EXCEPTION 'wallet not found' USING ERRCODE = 'WL404';
    END IF;
    SELECT * INTO st FROM wallet_kyctier WHERE level = s.tier;
    SELECT * INTO rt FROM wallet_kyctier WHERE level = r.tier;
    IF st.level IS NULL OR rt.level IS NULL THEN
        RAISE EXCEPTION 'tier not found' USING ERRCODE = 'WL404';
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
    IF s.balance < v_debit THEN
        RAISE EXCEPTION 'insufficient funds' USING ERRCODE = 'WL402';
    END IF;
    IF NOT st.allows_transfer THEN
        RAISE EXCEPTION '%', st.level USING ERRCODE = 'WL403';
    END IF;
    IF st.single_limit IS NOT NULL AND p_amount > st.single_limit THEN
        RAISE EXCEPTION '%', st.single_limit USING ERRCODE = 'WL413';
    END IF;
    v_spent := CASE WHEN s.outflow_date = p_today THEN s.outflow_total ELSE 0 END;
    IF st.daily_limit IS NOT NULL AND v_spent + v_debit > st.daily_limit THEN
        RAISE EXCEPTION '%|%', v_spent, st.daily_limit USING ERRCODE = 'WL429';
    END IF;
    v_safety := CASE WHEN s.safety_until > p_now THEN s.safety_spent ELSE 0 END;
    IF s.safety_until > p_now AND v_safety + v_debit > p_safety_limit THEN
        RAISE EXCEPTION '%', v_safety USING ERRCODE = 'WL430';
    END IF;
    IF r.over_tier_since IS NOT NULL
       OR (rt.balance_cap IS NOT NULL AND r.balance + v_credit > rt.balance_cap) THEN
        RAISE EXCEPTION 'receiver over its tier' USING ERRCODE = 'WL431';
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
        safety_spent = CASE WHEN id = p_sender AND s.safety_until > p_now
                            THEN v_safety + v_debit ELSE safety_spent END,
        -- A sender that was over its cap is no longer once it has sent enough away.
        over_tier_since = CASE
            WHEN id = p_sender AND (st.balance_cap IS NULL OR balance - v_debit <= st.balance_cap)
            THEN NULL ELSE over_tier_since END,
        updated_at = p_now
    WHERE id IN (p_sender, p_receiver);

    RETURN QUERY SELECT v_sent, s.balance - v_debit, r.balance + v_credit;
END;
$$;
"""

DEFAULT_TIERS = (
    (1, Decimal("50000.00"), Decimal("300000.00")),
    (2, Decimal("200000.00"), Decimal("500000.00")),
    (3, Decimal("5000000.00"), None),
)


def create_default_tiers(apps, schema_editor):
    # Copied rather than imported: a migration must not change when the services do.
    KycTier = apps.get_model("wallet", "KycTier")
    for level, daily, cap in DEFAULT_TIERS:
        KycTier.objects.get_or_create(
            level=level,
            defaults={
                "name": f"Tier {level}",
                "daily_limit": daily,
                "single_limit": daily,
                "balance_cap": cap,
            },
        )


def replace_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD.DROP, params=None)
        schema_editor.execute(CREATE, params=None)


def restore_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD.DROP, params=None)
        schema_editor.execute(OLD.CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0012_outflows_tiers_pin_safety")]

    operations = [
        migrations.RunPython(create_default_tiers, migrations.RunPython.noop),
        migrations.RunPython(replace_function, restore_function),
    ]
