"""Acknowledging a genuine Paystack event: one statement, then answer.

`store_event` records the raw event with a single `INSERT … ON CONFLICT (event_key) DO NOTHING
RETURNING id`: nothing else is written and nothing is queued, so the acknowledgement costs one
round trip to the database. The webhook worker (`manage.py process_webhooks`,
webhook_claims.py) claims the stored events and applies them. A redelivery of an event already
stored costs a second statement that counts it (and makes a failed one claimable again).
"""

from django.db.models import Case, F, Value, When
from django.utils import timezone

from wallet.models import WebhookEvent
from wallet.services.funding.webhooks import event_key, process_event, reference_of
from wallet.services.insert_once import insert_once

Status = WebhookEvent.Status


def store_event(raw_body: bytes, payload: dict, signature: str, remote_addr) -> int:
    """Record the genuine event once (a redelivery is counted); returns the event's id.

    In django-q2's inline mode (Q_SYNC, tests) the event is applied here too, as its task
    would have been."""
    key = event_key(payload, raw_body)
    now = timezone.now()
    values = {
        "event_key": key,
        "event": str(payload.get("event") or "")[:100],
        "status": Status.RECEIVED,
        "payload": payload,
        "raw_body": raw_body.decode("utf-8", "replace"),
        "signature": signature[:200],
        "remote_addr": remote_addr or None,
        "reference": reference_of(payload),  # what staff search events by (issue 21)
        "attempts": 0,
        "deliveries": 1,
        "last_error": "",
        "received_at": now,
        "updated_at": now,
    }
    event_id = insert_once(WebhookEvent, values, conflict=("event_key",))
    if event_id is None:
        event_id = _count_redelivery(key)
    if _processed_inline():
        process_event(event_id)
    return event_id


def _count_redelivery(key: str) -> int:
    """Count a delivery of a stored event; a `failed` one becomes claimable again at once (a
    `received` one is waiting already; anything else is finished)."""
    WebhookEvent.objects.filter(event_key=key).update(
        deliveries=F("deliveries") + 1,
        status=Case(When(status=Status.FAILED, then=Value(Status.RECEIVED)), default=F("status")),
        updated_at=timezone.now(),
    )
    return WebhookEvent.objects.values_list("pk", flat=True).get(event_key=key)


def _processed_inline() -> bool:
    from django_q.conf import Conf

    return bool(Conf.SYNC)
