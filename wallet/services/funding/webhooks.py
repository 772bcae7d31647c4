"""Paystack webhooks: check, store, then process in the worker.

1. `check_request`: a secret key must be configured, the sender's address allowed (when an
   allowlist is set), and `x-paystack-signature` must be the HMAC-SHA512 of the raw body,
   compared in constant time. Refusals are counted per source (`record_refusal`), bounded.
2. `webhook_intake.store_event`: the raw event is recorded with one INSERT under a unique
   event key, so a redelivery is recognised and nothing is lost if processing fails.
3. The webhook worker (`webhook_claims`, `manage.py process_webhooks`) claims stored events
   and `apply_claimed` routes each to the same services the callback and the reconcile jobs
   use. Failures stay `failed` and are retried.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db import transaction as db
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from wallet.exceptions import WalletError
from wallet.models import Transaction, WebhookEvent, WebhookRefusal
from wallet.paystack import verify_webhook_signature
from wallet.services.funding import charges, dedicated_accounts, refund_matching, refunds

logger = logging.getLogger(__name__)

Status = WebhookEvent.Status


@dataclass(frozen=True)
class Refusal:
    http_status: int
    reason: str


def signature_for(raw_body: bytes, secret: str) -> str:
    """Paystack's signature: lowercase hex HMAC-SHA512 of the exact body, keyed by the secret."""
    return hmac.new(secret.encode(), raw_body, hashlib.sha512).hexdigest()


def check_request(raw_body: bytes, signature: str, remote_addr: str | None) -> Refusal | None:
    """Why this request must be refused (a Refusal), or None when it is genuine."""
    secret = settings.PAYSTACK_SECRET_KEY
    if not secret:
        return Refusal(403, "No Paystack secret key is configured: webhooks are refused.")
    allowed = settings.PAYSTACK_WEBHOOK_IPS
    if allowed and remote_addr not in allowed:
        return Refusal(403, f"Sender address {remote_addr} is not in PAYSTACK_WEBHOOK_IPS.")
    if not signature:
        return Refusal(401, "Missing x-paystack-signature header.")
    if not verify_webhook_signature(raw_body, signature, secret):
        return Refusal(401, "Invalid signature.")
    return None


def record_refusal(raw_body: bytes, signature: str, source: str | None, reason: str) -> None:
    """Count a refused request against its source, keeping only a digest and the first bytes
    of the body (bounded: one row per source, `WebhookRefusal.SOURCES_MAX` sources at most)."""
    logger.warning("Webhook refused from %s: %s", source, reason)
    source = source or WebhookRefusal.UNKNOWN
    seen = {
        "reason": reason[:200],
        "body_sha256": hashlib.sha256(raw_body).hexdigest(),
        "body_length": len(raw_body),
        "first_bytes": printable(raw_body[: WebhookRefusal.FIRST_BYTES]),
        "signature_prefix": printable((signature or "")[:16].encode()),
    }
    if _count_refusal(source, seen):
        return
    if WebhookRefusal.objects.count() >= WebhookRefusal.SOURCES_MAX:
        source = WebhookRefusal.OVERFLOW
        if _count_refusal(source, seen):
            return
    try:
        with db.atomic():
            WebhookRefusal.objects.create(source=source, **seen)
    except IntegrityError:  # the same source, at the same moment
        _count_refusal(source, seen)


def _count_refusal(source: str, seen: dict) -> bool:
    refusals = WebhookRefusal.objects.filter(source=source)
    return bool(refusals.update(count=F("count") + 1, last_seen=timezone.now(), **seen))


def printable(raw: bytes) -> str:
    """Bytes as text a person (and PostgreSQL) can hold: control characters and NUL escaped."""
    text = raw.decode("utf-8", "replace")
    return "".join(
        char if char.isprintable() or char in "\n\t" else _escaped(char) for char in text
    )


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def reference_of(payload: dict) -> str:
    """The reference the back office finds this event by (a charge's, transfer's or refunded
    charge's); "" when it names none."""
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    for key in ("reference", "transaction_reference", "transfer_code"):
        if isinstance(data.get(key), str) and data[key]:
            return data[key][:100]
    return ""


def event_key(payload: dict, raw_body: bytes) -> str:
    """Event name + Paystack's id for the object + status: the same fact gives the same key."""
    name = str(payload.get("event") or "unknown")
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    if name.startswith("charge."):
        ident = data.get("reference") or data.get("id")
    elif name.startswith("transfer."):
        ident = data.get("reference") or data.get("transfer_code")
    elif name.startswith("refund."):
        ident = _refund_ident(data)

    else:
        ident = data.get("id") or data.get("reference")
    ident = ident or hashlib.sha256(raw_body).hexdigest()
    status = data.get("status") or ""
    return f"{name}:{ident}:{status}"[:200]


def _refund_ident(data):
    remote = data.get("id") or data.get("refund_reference")
    reference = data.get("transaction_reference") or ""
    if remote:
        return f"{reference}:{remote}"
    return f"{reference}:{data.get('amount')}:{data.get('createdAt') or data.get('created_at')}"


def process_event(event_id) -> WebhookEvent | None:
    """Claim a stored event and apply it; the outcome is recorded on the event. A business
    refusal (unknown reference, amount mismatch...) is `refused`; an error is `failed`,
    retried by the reconcile schedule and by Paystack's redelivery."""
    claimed = WebhookEvent.objects.filter(
        pk=event_id, status__in=[Status.RECEIVED, Status.FAILED]
    ).update(status=Status.PROCESSING, attempts=F("attempts") + 1, updated_at=timezone.now())
    if not claimed:
        return None
    event = WebhookEvent.objects.get(pk=event_id)
    apply_claimed(event)
    return event


def apply_claimed(event: WebhookEvent) -> None:
    """Apply an event this worker has claimed (status `processing`); records the outcome."""
    finish([(event, *outcome_of(event))])


def outcome_of(event: WebhookEvent) -> tuple[str, str]:
    """Apply a claimed event; returns (status, note) to record on it."""
    try:
        return route(event.event, event.data)
    except WalletError as error:
        return Status.REFUSED, error.message
    except Exception as error:  # any bug or outage: keep the event for retry, say why
        # The traceback goes to the log; the event (shown to staff) keeps one plain line.
        logger.exception("Webhook event %s failed", event.pk)
        return Status.FAILED, f"{type(error).__name__}: {error}"[:500]


def route(name: str, data: dict):
    """Apply one event; returns (status, note)."""
    if name == "charge.success":
        return _charge_success(data)
    if name.startswith("charge.dispute."):
        from wallet.services.disputes.events import apply_paystack_dispute

        if apply_paystack_dispute(data) is None:
            return Status.IGNORED, "Not a dispute of a successful deposit of this site."
        return Status.PROCESSED, ""
    if name.startswith("transfer."):
        from wallet.services import payouts

        if payouts.apply_transfer_event(name, data) is None:
            return Status.IGNORED, "Not a payout of this site (or not a transfer status)."
        return Status.PROCESSED, ""
    if name.startswith("refund."):
        return _refund_event(name, data)
    if name.startswith("customeridentification."):
        from wallet.services.outflows.identification import apply_identification_event

        if apply_identification_event(name, data) is None:
            return Status.IGNORED, "No identification request of this customer is pending."
        return Status.PROCESSED, ""
    return Status.IGNORED, f"Event {name or '?'} is not used by this site."


def _charge_success(data):
    channel = data.get("channel")
    by_transfer = channel == "dedicated_nuban" or (
        channel != "card"
        and not charges.is_local_charge(data.get("reference"))
        and dedicated_accounts.dedicated_account_for(data) is not None
    )
    if by_transfer:
        dedicated_accounts.credit_dedicated_transfer(data, via="webhook charge.success")
    else:
        charges.credit_successful_charge(data, via="webhook charge.success")
    return Status.PROCESSED, ""


def _refund_event(name, data):
    try:
        refund = refund_matching.refund_for_event(data)
    except refund_matching.AmbiguousRefundEvent:
        # Nothing is lost: the refund reconciliation reads Paystack's list (with ids).
        return Status.PROCESSED, (
            "Not applied: several refunds of this charge have this amount and the event names "
            "none of them; the refund reconciliation matches them by Paystack's list."
        )
    if refund is None:
        return Status.REFUSED, "No local refund matches this event."
    status = name.split(".", 1)[1]
    refunds.apply_refund_answer(refund.pk, {**data, "status": status}, via=f"webhook {name}")
    return Status.PROCESSED, ""


def finish(applied) -> None:
    """Record each event's outcome, and the customer whose money row carries the event's
    reference (back-office search): one statement for all the events with the same outcome
    and note, so a worker's batch of credits is closed by one UPDATE. `applied`: a list of
    (event, status, note)."""
    now = timezone.now()
    same = {}
    for event, outcome, note in applied:
        event.status, event.last_error, event.updated_at = outcome, note, now
        event.processed_at = now if outcome != Status.FAILED else None
        same.setdefault((outcome, note), []).append(event.pk)
    for (outcome, note), ids in same.items():
        WebhookEvent.objects.filter(pk__in=ids).update(
            status=outcome,
            last_error=note,
            processed_at=now if outcome != Status.FAILED else None,
            updated_at=now,
            customer=Coalesce(F("customer"), _customer_of_reference()),
        )


def _customer_of_reference():
    owners = Transaction.objects.filter(reference=OuterRef("reference")).exclude(reference="")
    return Subquery(owners.values("wallet__user_id")[:1])


def retry_failed_events(stuck_after=timedelta(minutes=10), limit=200) -> int:
    """Process again events that failed, or that were never picked up / whose worker died.
    Idempotent: every handler applies a fact at most once."""
    now = timezone.now()
    WebhookEvent.objects.filter(status=Status.PROCESSING, updated_at__lt=now - stuck_after).update(
        status=Status.FAILED, last_error="Worker stopped while processing; retried."
    )
    waiting = WebhookEvent.objects.filter(
        status__in=[Status.FAILED, Status.RECEIVED], updated_at__lt=now - timedelta(seconds=30)
    ).values_list("pk", flat=True)[:limit]
    done = 0
    for event_id in list(waiting):
        process_event(event_id)
        done += 1
    return done


def acknowledge(event) -> None:
    """Back-office action: a refused event staff looked at is closed (nothing is applied);
    the note is the action's reason, kept in the audit log."""
    closed = WebhookEvent.objects.filter(pk=event.pk, status=Status.REFUSED).update(
        status=Status.ACKNOWLEDGED, updated_at=timezone.now()
    )
    if not closed:
        raise WalletError("Only a refused event can be acknowledged.")
    event.status = Status.ACKNOWLEDGED


def reprocess(event) -> WebhookEvent | None:
    """Back-office action: process a failed or refused event again."""
    WebhookEvent.objects.filter(pk=event.pk, status__in=[Status.FAILED, Status.REFUSED]).update(
        status=Status.FAILED
    )
    return process_event(event.pk)
