"""The django-q2 schedules this site runs, created (idempotently) after every migrate.

Append your schedule here; `name` is its identity, so renaming one creates a new schedule.
"""

SCHEDULES = [
    # Back office (issue 21): the dashboard never calls Paystack; alerts reach people.
    {
        "name": "refresh paystack balance",
        "func": "wallet.tasks.backoffice.refresh_paystack_balance",
        "schedule_type": "I",
        "minutes": 1,
    },
    {
        "name": "send ops alert digest",
        "func": "wallet.tasks.backoffice.send_alert_digest",
        "schedule_type": "I",
        "minutes": 5,
    },
    {
        "name": "check ledger daily",
        "func": "wallet.tasks.core.check_ledger",
        "schedule_type": "D",
    },
    # --- funding: finish what a lost callback / webhook / Paystack outage left open ---
    {
        "name": "reconcile pending card charges",
        "func": "wallet.tasks.funding.reconcile_pending_charges",
        "schedule_type": "I",
        "minutes": 5,
    },
    {
        "name": "reconcile pending refunds",
        "func": "wallet.tasks.funding.reconcile_pending_refunds",
        "schedule_type": "I",
        "minutes": 5,
    },
    {
        "name": "retry failed webhook events",
        "func": "wallet.tasks.funding.retry_failed_webhooks",
        "schedule_type": "I",
        "minutes": 2,
    },
    # Payouts (issue 6): due settlement schedules, open transfers, the bank list.
    {
        "name": "process settlement schedules",
        "func": "wallet.tasks.payouts.process_settlement_schedules",
        "schedule_type": "I",
        "minutes": 1,
    },
    {
        "name": "reconcile open payouts",
        "func": "wallet.tasks.payouts.reconcile_payouts",
        "schedule_type": "I",
        "minutes": 1,
    },
    {
        "name": "recheck recent successful payouts for reversals",
        "func": "wallet.tasks.payouts.recheck_recent_payouts",
        "schedule_type": "H",
    },
    {
        "name": "sync banks weekly",
        "func": "wallet.tasks.payouts.sync_banks",
        "schedule_type": "W",
    },
    # Disputes (issue 22): what a lost or late charge.dispute.* webhook left undone.
    {
        "name": "sync disputes with paystack",
        "func": "wallet.tasks.funding.sync_disputes",
        "schedule_type": "I",
        "minutes": 15,
    },
    # Reconciliation against Paystack's records (issue 11): yesterday, once a day.
    {
        "name": "reconcile with paystack daily",
        "func": "wallet.tasks.reconciliation.reconcile_yesterday",
        "schedule_type": "D",
    },
    # Notifications: transfers the webhook worker has not told yet (a site without one).
    {
        "name": "tell waiting transfers",
        "func": "wallet.tasks.notifications.tell_waiting_transfers",
        "schedule_type": "I",
        "minutes": 1,
    },
    # JSON API (issue 7): Idempotency-Keys are remembered for a day.
    {
        "name": "prune idempotency keys",
        "func": "wallet.tasks.api.prune_idempotency_keys",
        "schedule_type": "H",
    },
]


def ensure_schedules(**kwargs):
    from django_q.models import Schedule

    for spec in SCHEDULES:
        defaults = {key: value for key, value in spec.items() if key != "name"}
        Schedule.objects.update_or_create(name=spec["name"], defaults=defaults)
