"""What every JSON endpoint shares: session auth, CSRF, a JSON object body, idempotency keys."""

import hashlib
import json
from decimal import Decimal
from functools import wraps

from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from wallet.api.responses import ApiError, error_response
from wallet.models import IdempotencyKey
from wallet.services.insert_once import insert_once

MAX_BODY_BYTES = 16 * 1024
# Answers that say "try again later" are not remembered: the same key may be retried.
TRANSIENT_STATUSES = {409, 423, 429}
# v1 answers an unreachable gateway with a 4xx (every WalletError is one); still not final.
TRANSIENT_ERRORS = {"gateway_unavailable"}


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


def claim_key(user, key: str, fingerprint: str) -> IdempotencyKey:
    """Insert the key (committed at once), or raise the answer a repeat deserves: ApiError for
    another body or a request still running, Replay for a finished one."""
    values = {"user": user, "key": key, "fingerprint": fingerprint, "created_at": timezone.now()}
    values |= {"status_code": None, "response_body": None}
    # One statement (no savepoint): the hot path of every keyed money request.
    new_id = insert_once(IdempotencyKey, values, conflict=("user", "key"))
    if new_id is not None:
        return IdempotencyKey(pk=new_id, **values)
    existing = IdempotencyKey.objects.get(user=user, key=key)
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
    raise Replay(existing)


class Replay(Exception):
    def __init__(self, record: IdempotencyKey):
        self.record = record


def idempotency_key(request) -> str:
    """The request's Idempotency-Key ("" when absent); ApiError when it is too long."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 255:
        raise ApiError(400, "invalid_request", "Idempotency-Key must be at most 255 characters.")
    return key


def reference_for_key(request) -> str | None:
    """A reference derived from the Idempotency-Key (per user and endpoint): a second line of
    defence, as the services treat a repeated reference as the same operation."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    digest = hashlib.sha256(f"{request.user.pk}:{request.path}:{key}".encode()).hexdigest()
    return f"api-{digest[:40]}"


def is_final_answer(status_code: int, body) -> bool:
    """Answers that say "try again later" are not remembered: the same key may be retried."""
    if status_code >= 500 or status_code in TRANSIENT_STATUSES:
        return False
    return not (isinstance(body, dict) and body.get("error") in TRANSIENT_ERRORS)


def remember(record: IdempotencyKey, status_code: int, body) -> None:
    """Keep a final answer for replay; forget the key after anything else."""
    if not is_final_answer(status_code, body):
        record.delete()  # not a final answer: let the client retry with the same key
        return
    record.status_code = status_code
    record.response_body = body
    record.save(update_fields=["status_code", "response_body"])


def idempotent(view):
    """Honour an `Idempotency-Key` header: a repeat replays the first answer, once run."""

    @wraps(view)
    def wrapper(request, body, *args, **kwargs):
        key = idempotency_key(request)
        if not key:
            return view(request, body, *args, **kwargs)
        try:
            record = claim_key(request.user, key, request_fingerprint(request, body))
        except Replay as replay:
            return _replayed(replay.record)
        try:
            response = view(request, body, *args, **kwargs)
        except ApiError as error:
            response = error.response()
        except BaseException:
            record.delete()
            raise
        remember(record, response.status_code, json.loads(response.content))
        return response

    return wrapper


def _replayed(record: IdempotencyKey):
    response = JsonResponse(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
