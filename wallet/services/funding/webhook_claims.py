"""The webhook worker's side: claim stored events and apply each exactly once.

`claim` flips a batch of `received` events to `processing` in one transaction, reading them
with `SELECT … FOR UPDATE SKIP LOCKED`: several workers (or clusters) can run side by side and
never take the same event. A worker that dies leaves its events `processing`; the retry
schedule (`webhooks.retry_failed_events`) hands them back after ten minutes, and every handler
applies a Paystack fact at most once, so a second attempt never credits twice.
"""

import logging
import threading

from django.db import DatabaseError, close_old_connections, connection
from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from wallet.models import WebhookEvent
from wallet.services.funding.webhooks import finish, outcome_of
from wallet.services.notifications.service import emails_gathered
from wallet.services.notifications.transfer_notices import tell_waiting_transfers

logger = logging.getLogger(__name__)
Status = WebhookEvent.Status
BATCH = 20


def claim(limit: int = BATCH) -> list[WebhookEvent]:
    """Take up to `limit` waiting events (oldest first) for this worker alone."""
    with db.atomic():
        waiting = WebhookEvent.objects.select_for_update(skip_locked=True).filter(
            status=Status.RECEIVED
        )
        ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        WebhookEvent.objects.filter(pk__in=ids).update(
            status=Status.PROCESSING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    return list(WebhookEvent.objects.filter(pk__in=ids).order_by("pk"))


def process_waiting(limit: int = BATCH) -> int:
    """Claim one batch and apply it; returns how many events were applied. The outcomes are
    recorded together at the end (each event was claimed `processing` and every handler
    applies a fact once, so a worker stopped before that leaves nothing applied twice)."""
    events = claim(limit)
    with emails_gathered():  # the batch's e-mails leave as one task, not one per credit
        finish([(event, *outcome_of(event)) for event in events])
    return len(events)


def run(stop: threading.Event, poll: float = 0.2, limit: int = BATCH) -> int:
    """Apply events until `stop` is set, waiting `poll` seconds whenever none is waiting.
    Between batches it also tells the transfers waiting in the notifications' outbox, so a
    customer hears of a transfer within a poll. A database outage (a restart) is waited out.
    Returns how many events were applied."""
    applied = 0
    while not stop.is_set():
        try:
            done = process_waiting(limit)
            told = tell_waiting_transfers()
        except DatabaseError:
            logger.exception("Webhook worker: database unavailable; retrying")
            connection.close()
            done = told = 0
        applied += done
        if not done and not told:
            close_old_connections()
            stop.wait(poll)
    return applied
