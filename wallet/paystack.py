"""The only code that speaks HTTP to Paystack (or to the local sandbox, which speaks the same).

Every method returns the `data` part of Paystack's envelope, as Paystack sends it: dicts and
lists with amounts as integers in kobo. Convert with `to_subunit` / `from_subunit` (exact, here
and nowhere else). Errors:

- `PaystackAPIError`: Paystack answered and said no (`http_status`, `code`, `error_type`,
  `message`, and `next_step` when Paystack gives one). Nothing happened at Paystack.
- `PaystackUnavailable` (a PaystackAPIError with `inconclusive = True`): a timeout, a dropped
  connection, a 5xx or an unreadable answer. The request may or may not have taken effect:
  find out with a verify call, or retry with the same reference.

Only GET lookups are retried automatically (urllib3 Retry); a POST is sent once. The secret key
and card data never reach the logs.
"""

import hashlib
import hmac
import logging
import time
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from wallet.exceptions import InvalidAmount, PaystackAPIError, PaystackUnavailable

log = logging.getLogger("wallet.paystack")

CENT = Decimal("0.01")
RETRYABLE_STATUSES = (429, 500, 502, 503, 504)


# --- money ------------------------------------------------------------------------------------
def to_subunit(amount) -> int:
    """Decimal naira -> integer kobo, exactly: Decimal("12.34") -> 1234.

    Raises InvalidAmount for floats, NaN/Infinity, or more than 2 decimal places (never rounds
    or truncates)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise InvalidAmount(f"Amounts must be Decimal, not {type(amount).__name__}.")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise InvalidAmount("Amounts must be finite numbers.")
    try:
        exact = amount.quantize(CENT)
    except InvalidOperation:
        raise InvalidAmount("This amount is too large.")
    if exact != amount:
        raise InvalidAmount("Amounts can have at most 2 decimal places (kobo).")
    return int(exact * 100)


def from_subunit(value) -> Decimal:
    """Integer kobo (or a string of digits, as some webhooks send) -> Decimal naira, 2 places."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidAmount(f"Subunit amounts must be integers, not {type(value).__name__}.")
    text = str(value).strip()
    if not text.lstrip("-").isdigit():
        raise InvalidAmount(f"Subunit amount {value!r} is not a whole number.")
    return (Decimal(int(text)) / 100).quantize(CENT)


# --- webhooks ---------------------------------------------------------------------------------
def verify_webhook_signature(
    raw_body: bytes, signature: str, secret_key: str | None = None
) -> bool:
    """True when `signature` (the x-paystack-signature header) is the hex HMAC-SHA512 of the
    exact raw body keyed with the secret key. An empty key or signature never verifies."""
    if secret_key is None:
        from django.conf import settings

        secret_key = settings.PAYSTACK_SECRET_KEY
    if not secret_key or not signature or not isinstance(raw_body, bytes | bytearray):
        return False
    expected = hmac.new(secret_key.encode(), bytes(raw_body), hashlib.sha512).hexdigest()
    try:
        return hmac.compare_digest(expected, signature.strip().lower())
    except TypeError:  # non-ASCII header
        return False


# --- the client -------------------------------------------------------------------------------
class PaystackClient:
    """A Paystack API client with a pooled `requests.Session`.

    Settings (read when the client is built, not at import): PAYSTACK_SECRET_KEY,
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
            raise self._transport_error(error) from None
        log.info(
            "paystack %s %s -> %s in %d ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return self._decode(response)

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

    # --- transactions ----------------------------------------------------------------------
    def initialize_transaction(
        self,
        *,
        email,
        amount_kobo,
        reference=None,
        callback_url=None,
        metadata=None,
        currency="NGN",
        channels=None,
    ):
        """POST /transaction/initialize -> {authorization_url, access_code, reference}."""
        body = self._body(
            email=email,
            amount=self._kobo(amount_kobo),
            reference=reference,
            callback_url=callback_url,
            metadata=metadata,
            currency=currency,
            channels=channels,
        )
        return self._data("POST", "/transaction/initialize", json=body)

    def verify_transaction(self, reference):
        """GET /transaction/verify/:reference -> the transaction (read data["status"]:
        success, failed, abandoned, ongoing, pending, reversed; amount in kobo)."""
        return self._data("GET", f"/transaction/verify/{self._segment(reference, 'reference')}")

    def fetch_transaction(self, transaction_id):
        """GET /transaction/:id -> the transaction."""
        return self._data("GET", f"/transaction/{self._segment(transaction_id, 'id')}")

    def charge_authorization(
        self,
        *,
        authorization_code,
        email,
        amount_kobo,
        reference=None,
        currency="NGN",
        metadata=None,
    ):
        """POST /transaction/charge_authorization -> the transaction (status success or
        failed; or {paused: True, authorization_url} when the bank wants the payer back)."""
        body = self._body(
            authorization_code=authorization_code,
            email=email,
            amount=self._kobo(amount_kobo),
            reference=reference,
            currency=currency,
            metadata=metadata,
        )
        return self._data("POST", "/transaction/charge_authorization", json=body)

    def list_transactions(
        self, *, page=1, per_page=50, status=None, customer=None, from_=None, to=None
    ):
        """GET /transaction -> one page (list) of transactions, newest first."""
        params = self._body(
            page=page, perPage=per_page, status=status, customer=customer, to=to, **{"from": from_}
        )
        return self._data("GET", "/transaction", params=params)

    def iter_transactions(self, *, per_page=100, **filters):
        """Every transaction matching the filters, page after page (for reconciliation)."""
        page = 1
        while True:
            envelope = self._request(
                "GET",
                "/transaction",
                params=self._body(page=page, perPage=per_page, **filters),
            )
            yield from envelope.get("data") or []
            meta = envelope.get("meta") or {}
            if page >= int(meta.get("pageCount") or 1):
                return
            page += 1

    # --- refunds ----------------------------------------------------------------------------
    def create_refund(
        self,
        *,
        transaction,
        amount_kobo=None,
        currency=None,
        customer_note=None,
        merchant_note=None,
    ):
        """POST /refund (transaction reference or id; amount defaults to what is left) ->
        the refund, status "pending"; the final status arrives by refund.* webhook."""
        body = self._body(
            transaction=str(transaction),
            amount=None if amount_kobo is None else self._kobo(amount_kobo),
            currency=currency,
            customer_note=customer_note,
            merchant_note=merchant_note,
        )
        return self._data("POST", "/refund", json=body)

    def fetch_refund(self, refund_id):
        """GET /refund/:id -> the refund (status pending, processed, failed, ...)."""
        return self._data("GET", f"/refund/{self._segment(refund_id, 'refund id')}")

    def list_refunds(self, *, transaction=None, page=1, per_page=50):
        """GET /refund -> one page (list) of refunds."""
        params = self._body(transaction=transaction, page=page, perPage=per_page)
        return self._data("GET", "/refund", params=params)

    # --- banks -------------------------------------------------------------------------------
    def list_banks(self, *, country="nigeria", currency="NGN"):
        """GET /bank, every page -> the whole list of banks ({name, code, slug, ...})."""
        banks, page = [], 1
        while True:
            envelope = self._request(
                "GET",
                "/bank",
                params={"country": country, "currency": currency, "perPage": 100, "page": page},
            )
            banks.extend(envelope.get("data") or [])
            meta = envelope.get("meta") or {}
            if page >= int(meta.get("pageCount") or 1):
                return banks
            page += 1

    def resolve_account(self, *, account_number, bank_code):
        """GET /bank/resolve -> {account_number, account_name, bank_id}; PaystackAPIError
        (HTTP 422) when the account cannot be resolved."""
        params = {"account_number": account_number, "bank_code": bank_code}
        return self._data("GET", "/bank/resolve", params=params)

    # --- transfers ---------------------------------------------------------------------------
    def create_transfer_recipient(
        self,
        *,
        name,
        account_number,
        bank_code,
        currency="NGN",
        type="nuban",
        description=None,
        metadata=None,
    ):
        """POST /transferrecipient -> the recipient (recipient_code RCP_..., details{...});
        the same account and bank give back the existing recipient."""
        body = self._body(
            type=type,
            name=name,
            account_number=account_number,
            bank_code=bank_code,
            currency=currency,
            description=description,
            metadata=metadata,
        )
        return self._data("POST", "/transferrecipient", json=body)

    def initiate_transfer(
        self, *, amount_kobo, recipient_code, reference, reason=None, currency="NGN"
    ):
        """POST /transfer -> the transfer, status "pending" (or "otp": call finalize_transfer).
        `reference` is the idempotency key: retry an inconclusive call with the same one."""
        body = self._body(
            source="balance",
            amount=self._kobo(amount_kobo),
            recipient=recipient_code,
            reference=reference,
            reason=reason,
            currency=currency,
        )
        return self._data("POST", "/transfer", json=body)

    def finalize_transfer(self, *, transfer_code, otp):
        """POST /transfer/finalize_transfer -> the transfer, now "pending"."""
        body = {"transfer_code": transfer_code, "otp": str(otp)}
        return self._data("POST", "/transfer/finalize_transfer", json=body)

    def resend_transfer_otp(self, *, transfer_code, reason="resend_otp"):
        """POST /transfer/resend_otp -> None (Paystack sends only a message)."""
        body = {"transfer_code": transfer_code, "reason": reason}
        return self._data("POST", "/transfer/resend_otp", json=body)

    def verify_transfer(self, reference):
        """GET /transfer/verify/:reference -> the transfer with an expanded recipient;
        PaystackAPIError with http_status 404 when Paystack has no such transfer."""
        return self._data("GET", f"/transfer/verify/{self._segment(reference, 'reference')}")

    def fetch_transfer(self, id_or_code):
        """GET /transfer/:id_or_code -> the transfer."""
        return self._data("GET", f"/transfer/{self._segment(id_or_code, 'transfer code')}")

    def get_balance(self):
        """GET /balance -> [{"currency": "NGN", "balance": kobo}]."""
        return self._data("GET", "/balance")

    # --- customers and dedicated accounts ----------------------------------------------------
    def create_customer(self, *, email, first_name=None, last_name=None, phone=None, metadata=None):
        """POST /customer -> the customer (customer_code CUS_...); an existing email returns
        the existing customer."""
        body = self._body(
            email=email, first_name=first_name, last_name=last_name, phone=phone, metadata=metadata
        )
        return self._data("POST", "/customer", json=body)

    def fetch_customer(self, email_or_code):
        """GET /customer/:email_or_code -> the customer, with dedicated_accounts."""
        return self._data("GET", f"/customer/{self._segment(email_or_code, 'customer')}")

    def assign_dedicated_account(self, *, customer, preferred_bank=None):
        """POST /dedicated_account -> the DVA {account_number, account_name, bank{...}, ...}.
        `customer` is the customer code or id; preferred_bank defaults to
        settings.PAYSTACK_DVA_BANK or "test-bank" (Paystack's test-mode bank)."""
        if preferred_bank is None:
            from django.conf import settings

            preferred_bank = getattr(settings, "PAYSTACK_DVA_BANK", "test-bank")
        body = {"customer": customer, "preferred_bank": preferred_bank}
        return self._data("POST", "/dedicated_account", json=body)

    create_dedicated_account = assign_dedicated_account
