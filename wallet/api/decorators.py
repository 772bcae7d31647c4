"""What every JSON endpoint shares: session auth, CSRF, a JSON object body, idempotency keys."""

import hashlib
import json
from decimal import Decimal
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from wallet.api.responses import ApiError, error_response
from wallet.models import IdempotencyKey

MAX_BODY_BYTES = 16 * 1024
# Answers that say "try again later" are not remembered: the same key may be retried.
TRANSIENT_STATUSES = {409, 423, 429}


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, returning the reason instead of an HTML 403 page."""

    def _reject(self, request, reason):
        return reason


def _csrf_failure(request) -> str | None:
    return _CsrfCheck(lambda _request: None).process_view(request, None, (), {})


def _json_object(request) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise ApiError(400, "invalid_request", "The request body is too large.")
    try:
        # parse_float=Decimal: an amount never passes through a binary float.
        body = json.loads(request.body or b"{}", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.")
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "The request body must be a JSON object.")
    return body


def api_view(view):
    """POST-only JSON view for a logged-in user; errors come back as JSON, never HTML."""

    @csrf_exempt  # checked below, so a failure is answered in JSON like every other error
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            response = error_response(405, "method_not_allowed", "Use POST.")
            response["Allow"] = "POST"
            return response
        if not request.user.is_authenticated:
            return error_response(401, "not_authenticated", "Log in to use the wallet API.")
        if (reason := _csrf_failure(request)) is not None:
            return error_response(403, "csrf_failed", f"CSRF check failed: {reason}")
        try:
            return view(request, _json_object(request), *args, **kwargs)
        except ApiError as error:
            return error.response()

    return wrapper


def request_fingerprint(request, body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).hexdigest()


def _claim_key(request, key: str, fingerprint: str) -> IdempotencyKey:
    """Insert the key (committed at once), or raise the answer a repeat deserves."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=request.user, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        pass
    existing = IdempotencyKey.objects.get(user=request.user, key=key)
    if existing.fingerprint != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was already used with a different request body.",
        )
    if not existing.is_complete:
        raise ApiError(
            409,
            "idempotency_key_in_use",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
        )
    raise _Replay(existing)


class _Replay(Exception):
    def __init__(self, record: IdempotencyKey):
        self.record = record


def idempotent(view):
    """Honour an `Idempotency-Key` header: a repeat replays the first answer, once run."""

    @wraps(view)
    def wrapper(request, body, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view(request, body, *args, **kwargs)
        if len(key) > 255:
            raise ApiError(
                400, "invalid_request", "Idempotency-Key must be at most 255 characters."
            )
        try:
            record = _claim_key(request, key, request_fingerprint(request, body))
        except _Replay as replay:
            return _replayed(replay.record)
        try:
            response = view(request, body, *args, **kwargs)
        except ApiError as error:
            response = error.response()
        except BaseException:
            record.delete()
            raise
        _remember(record, response)
        return response

    return wrapper


def _remember(record: IdempotencyKey, response) -> None:
    if response.status_code >= 500 or response.status_code in TRANSIENT_STATUSES:
        record.delete()  # not a final answer: let the client retry with the same key
        return
    record.status_code = response.status_code
    record.response_body = json.loads(response.content)
    record.save(update_fields=["status_code", "response_body"])


def _replayed(record: IdempotencyKey):
    response = JsonResponse(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
