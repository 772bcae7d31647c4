"""POST /wallet/webhook/: Paystack's event notifications.

The signature is checked over the raw body before anything is parsed; the event is recorded
with one INSERT (ATOMIC_REQUESTS stays off) and applied later by the webhook worker, which
claims it from the database, so the answer is fast and a failing handler never loses the
event. Refusals are counted per source (bounded) and rate-limited, so nobody can fill the
database from outside."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wallet.client_address import client_address
from wallet.ratelimit import allow
from wallet.services.funding import webhook_intake, webhooks


def _refuse(raw_body, signature, source, status, reason):
    if not allow("webhook_refusal", source or "unknown"):
        reason = "Too many refused requests from this address; wait a minute."
        return JsonResponse({"status": "rejected", "reason": reason}, status=429)
    webhooks.record_refusal(raw_body, signature, source, reason)
    return JsonResponse({"status": "rejected", "reason": reason}, status=status)


@csrf_exempt
@require_POST
def paystack_webhook(request):
    raw_body = request.body
    signature = request.headers.get("X-Paystack-Signature", "")
    source = client_address(request)
    refusal = webhooks.check_request(raw_body, signature, source)
    if refusal is not None:
        return _refuse(raw_body, signature, source, refusal.http_status, refusal.reason)
    try:
        payload = json.loads(raw_body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not payload.get("event"):
        reason = "Signed body is not a Paystack event (JSON with an event name)."
        return _refuse(raw_body, signature, source, 400, reason)
    if b"\\u0000" in raw_body:  # PostgreSQL's jsonb cannot hold NUL; Paystack never sends one
        reason = "Signed body contains a NUL character; no Paystack event does."
        return _refuse(raw_body, signature, source, 400, reason)
    event_id = webhook_intake.store_event(raw_body, payload, signature, source)
    return JsonResponse({"status": "ok", "event": event_id})


# The body is checked by its signature here, so the site's control-character check leaves it
# to this view: an unsigned body with a NUL gets a 401 and is counted like any other refusal.
paystack_webhook.raw_body_is_signed = True
