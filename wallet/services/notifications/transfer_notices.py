"""Transfers waiting to be told: the outbox every transfer writes (TransferNotice).

A transfer adds its notice in its own database transaction; `tell_waiting_transfers` writes
the sender's and the recipient's notifications and deletes the notices, in batches, claimed
with SKIP LOCKED so several workers never tell the same transfer (and if they did, each
notification is unique per event). The webhook worker drains the outbox between its events;
a schedule drains it too, for a site that runs no webhook worker; in django-q2's synchronous
mode (tests, seed_demo) the transfer drains it after its commit, as a task would have run.
"""

import logging

from django.db import transaction as db
from django.db.models import F
from django_q.conf import Conf

from wallet.models import TransferNotice
from wallet.services.notifications.events import tell_transfer
from wallet.services.notifications.service import emails_gathered

logger = logging.getLogger(__name__)
BATCH = 100
GIVE_UP_AFTER = 5  # attempts; a notice that keeps failing is left for staff, and logged


def transfer_noticed() -> None:
    """Called after a transfer (its notice is in the outbox): in synchronous mode tell it
    once the money commits; otherwise the worker does, within its poll."""
    if Conf.SYNC:
        db.on_commit(tell_waiting_transfers)


def tell_waiting_transfers(limit: int = BATCH) -> int:
    """Tell up to `limit` waiting transfers, oldest first; returns how many were told. Their
    e-mails leave as one task for the batch."""
    with emails_gathered(), db.atomic():
        notices = list(
            TransferNotice.objects.select_for_update(skip_locked=True)
            .filter(attempts__lt=GIVE_UP_AFTER)
            .order_by("pk")[:limit]
        )
        told, failed = [], []
        for notice in notices:
            try:
                with db.atomic():  # one transfer's failure leaves the others told
                    tell_transfer(notice.transaction_id)
            except Exception:
                logger.exception("Could not tell transfer %s", notice.transaction_id)
                failed.append(notice.pk)
            else:
                told.append(notice.pk)
        TransferNotice.objects.filter(pk__in=told).delete()
        TransferNotice.objects.filter(pk__in=failed).update(attempts=F("attempts") + 1)
    return len(told)


def tell_all_waiting() -> int:
    """Drain the outbox (the schedule's task)."""
    total = 0
    while done := tell_waiting_transfers():
        total += done
    return total
