"""`Idempotency-Key` on v1's money POSTs, with the guide endpoints' semantics and records
(wallet/api/decorators.py): same key and body replays the first answer, another body is
refused (422), a concurrent twin waits its turn (409); keys are kept 24 hours."""

import json
from functools import wraps

from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from wallet.api.decorators import (
    Replay,
    claim_key,
    idempotency_key,
    remember,
    request_fingerprint,
)


def idempotent(handler):
    """Wrap an APIView method. Authentication, scopes and throttles ran before it, so their
    refusals are never remembered; the handler's own errors (a final answer) are."""

    @wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = idempotency_key(request)
        if not key:
            return handler(view, request, *args, **kwargs)
        record = None
        try:
            record = claim_key(request.user, key, request_fingerprint(request, request.data))
            response = handler(view, request, *args, **kwargs)
        except Replay as replay:
            return _replayed(replay.record)
        except Exception as exc:
            response = _answer_or_forget(view, exc, record)
        if record is not None:
            remember(record, response.status_code, _plain(response.data))
        return response

    return wrapper


def _answer_or_forget(view, exc, record):
    try:
        return view.handle_exception(exc)
    except BaseException:
        if record is not None:
            record.delete()  # a crash is not an answer: the client may retry with the key
        raise


def _plain(data):
    """The answer as plain JSON types (Decimal -> str, as the renderer writes it)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _replayed(record):
    return Response(
        record.response_body,
        status=record.status_code,
        headers={"Idempotent-Replayed": "true"},
    )
