"""The HTTP transport under PaystackClient: a pooled session, timeouts, GET-only retries, and
Paystack's envelope decoded into `data` or a typed error (see wallet.paystack)."""

import logging
import time
from urllib.parse import quote, unquote

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from wallet.exceptions import InvalidAmount, PaystackAPIError, PaystackUnavailable

log = logging.getLogger("wallet.paystack")

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)


class PaystackTransport:
    """Settings (read when the client is built, not at import): PAYSTACK_SECRET_KEY,
    PAYSTACK_BASE_URL, PAYSTACK_TIMEOUT (read timeout, s), PAYSTACK_CONNECT_TIMEOUT (s).
    """

    def __init__(
        self, secret_key=None, base_url=None, timeout=None, connect_timeout=None, get_retries=2
    ):
        from django.conf import settings

        self.secret_key = settings.PAYSTACK_SECRET_KEY if secret_key is None else secret_key
        self.base_url = (base_url or settings.PAYSTACK_BASE_URL).rstrip("/")
        self.timeout = settings.PAYSTACK_TIMEOUT if timeout is None else timeout
        self.connect_timeout = (
            settings.PAYSTACK_CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
        )
        self.connect_timeout = min(self.connect_timeout, self.timeout)
        self.session = self._build_session(get_retries)

    def __repr__(self):
        return f"<PaystackClient {self.base_url}>"  # never the key

    def _build_session(self, get_retries):
        retry = Retry(
            total=get_retries,
            connect=get_retries,
            read=get_retries,
            status=get_retries,
            backoff_factor=0.2,
            status_forcelist=RETRYABLE_STATUSES,
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=16)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({"Accept": "application/json", "User-Agent": "paystack-wallet/1"})
        return session

    def close(self):
        self.session.close()

    # --- transport ------------------------------------------------------------------------
    def _request(self, method, path, *, params=None, json=None):
        """The whole decoded envelope, or a PaystackAPIError / PaystackUnavailable."""
        if not self.secret_key:
            raise PaystackAPIError("PAYSTACK_SECRET_KEY is not configured.", code="not_configured")
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                json=json,
                headers={"Authorization": f"Bearer {self.secret_key}"},
                timeout=(self.connect_timeout, self.timeout),
            )
        except requests.RequestException as error:
            log.warning("paystack %s %s failed: %s", method, path, type(error).__name__)
            failure = self._transport_error(error)
            record_call(method, path, json, started, None, failure)
            raise failure from None
        log.info(
            "paystack %s %s -> %s in %d ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        try:
            body = self._decode(response)
        except PaystackAPIError as error:
            record_call(method, path, json, started, response.status_code, error)
            raise
        record_call(method, path, json, started, response.status_code, None)
        return body

    def _transport_error(self, error):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        if isinstance(error, requests.Timeout) or isinstance(reason, ReadTimeoutError):
            return PaystackUnavailable(
                f"Paystack did not answer within {self.timeout:g} seconds.", code="timeout"
            )
        return PaystackUnavailable(
            "Could not reach Paystack (the connection failed or was dropped).",
            code="connection_error",
        )

    def _decode(self, response):
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if status >= 500:
            message = body.get("message") if isinstance(body, dict) else None
            raise PaystackUnavailable(
                message or f"Paystack had an internal error (HTTP {status}).",
                http_status=status,
                code="server_error",
            )
        if not isinstance(body, dict):
            raise PaystackUnavailable(
                f"Paystack sent an unreadable answer (HTTP {status}).",
                http_status=status,
                code="malformed_response",
            )
        if status >= 400 or body.get("status") is not True:
            error = PaystackAPIError(
                body.get("message") or f"Paystack refused the request (HTTP {status}).",
                http_status=status,
                code=body.get("code"),
                error_type=body.get("type"),
            )
            meta = body.get("meta")
            error.next_step = meta.get("nextStep") if isinstance(meta, dict) else None
            raise error
        return body

    def _data(self, method, path, *, params=None, json=None):
        return self._request(method, path, params=params, json=json).get("data")

    @staticmethod
    def _segment(value, name):
        if value in (None, ""):
            raise ValueError(f"{name} is required")
        return quote(str(value), safe="")

    @staticmethod
    def _kobo(value):
        """Amounts go to Paystack as integer kobo; anything else is a caller's bug, not rounded."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidAmount("amount_kobo must be an int; convert naira with to_subunit().")
        return value

    @staticmethod
    def _body(**fields):
        return {key: value for key, value in fields.items() if value is not None}


# Paths whose last segment is the reference asked about (GET /transaction/verify/<reference>).
_REFERENCE_PATHS = ("/transaction/verify/", "/transfer/verify/", "/refund/")


def reference_in(path: str, json: dict | None) -> str:
    """The reference a call is about, for the money object's timeline; "" for list calls."""
    body = json if isinstance(json, dict) else {}
    for key in ("reference", "transaction", "transfer_code"):
        if body.get(key):
            return str(body[key])[:100]
    for prefix in _REFERENCE_PATHS:
        if path.startswith(prefix):
            return unquote(path[len(prefix) :])[:100]
    return ""


def record_call(method, path, json, started, http_status, error) -> None:
    """Keep one PaystackCall row for a call about a reference (its outcome and latency). Never
    fails the call it records: a lost record is logged, the answer still returned."""
    reference = reference_in(path, json)
    if not reference:
        return
    from wallet.models import PaystackCall

    if error is None:
        outcome, message = PaystackCall.Outcome.OK, ""
    elif isinstance(error, PaystackUnavailable):
        outcome, message = PaystackCall.Outcome.UNAVAILABLE, error.message
    else:
        outcome, message = PaystackCall.Outcome.REFUSED, error.message
    try:
        PaystackCall.objects.create(
            method=method, path=path.split("?")[0][:200], reference=reference,
            http_status=http_status, outcome=outcome, message=message[:255],
            latency_ms=int((time.monotonic() - started) * 1000),
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - the record must never cost the payment
        log.exception("paystack call to %s not recorded", path)
