"""POST /wallet/webhook/: Paystack's event notifications.

The signature is checked over the raw body before anything is parsed; the event is stored in
its own transaction (ATOMIC_REQUESTS stays off) and processed by the worker after commit, so
the answer is fast and a failing handler never loses the event."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wallet.services.funding import webhooks


@csrf_exempt
@require_POST
def paystack_webhook(request):
    raw_body = request.body
    signature = request.headers.get("X-Paystack-Signature", "")
    remote_addr = request.META.get("REMOTE_ADDR")
    refusal = webhooks.check_request(raw_body, signature, remote_addr)
    if refusal is not None:
        webhooks.record_rejected(raw_body, signature, remote_addr, refusal.reason)
        return JsonResponse(
            {"status": "rejected", "reason": refusal.reason}, status=refusal.http_status
        )
    try:
        payload = json.loads(raw_body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not payload.get("event"):
        reason = "Signed body is not a Paystack event (JSON with an event name)."
        webhooks.record_rejected(raw_body, signature, remote_addr, reason)
        return JsonResponse({"status": "rejected", "reason": reason}, status=400)
    event = webhooks.store_event(raw_body, payload, signature, remote_addr)
    return JsonResponse({"status": "ok", "event": event.pk})
