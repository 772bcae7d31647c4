"""PaystackClient: one method per Paystack endpoint the wallet uses. Each returns the `data`
part of Paystack's envelope as Paystack sends it (amounts in integer kobo)."""

from datetime import UTC, datetime, timedelta

from wallet.paystack.disputes import DisputesMixin
from wallet.paystack.transport import PaystackTransport


class PaystackClient(DisputesMixin, PaystackTransport):
    """A Paystack API client with a pooled `requests.Session` (see PaystackTransport)."""

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
        return self._data("GET", "/transaction", params=self._window(params))

    def iter_transactions(self, *, per_page=100, from_=None, to=None, **filters):
        """Every transaction matching the filters, page after page (for reconciliation)."""
        return self.iter_list("/transaction", per_page=per_page, from_=from_, to=to, **filters)

    def iter_list(self, path, *, per_page=100, from_=None, to=None, **filters):
        """Every object of a Paystack list endpoint (`/transaction`, `/transfer`, `/refund`,
        `/customer`...), page after page by `meta.pageCount`; `from_` / `to` bound the window
        of creation times (datetimes, or ISO-8601 date-times or dates; both inclusive). An
        object seen on an earlier page (the list is newest first and shifted under us) is
        given once."""
        seen, page = set(), 1
        window = self._window({"from": from_, "to": to})
        while True:
            params = self._body(page=page, perPage=per_page, **filters, **window)
            envelope = self._request("GET", path, params=params)
            for item in envelope.get("data") or []:
                key = item.get("id") or item.get("reference")
                if key is None or key not in seen:
                    seen.add(key)
                    yield item
            meta = envelope.get("meta") or {}
            if page >= int(meta.get("pageCount") or 1):
                return
            page += 1

    @staticmethod
    def _window(filters):
        """`from` / `to` datetimes as Paystack writes times (UTC, milliseconds, Z); `to` is
        rounded up to its millisecond so the window still holds its last instant."""
        written = dict(filters)
        for name, end in (("from", False), ("to", True)):
            moment = written.get(name)
            if isinstance(moment, datetime):
                moment = moment.astimezone(UTC)
                if end and moment.microsecond % 1000:
                    moment += timedelta(microseconds=1000 - moment.microsecond % 1000)
                written[name] = moment.strftime("%Y-%m-%dT%H:%M:%S.") + (
                    f"{moment.microsecond // 1000:03d}Z"
                )
        return written

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

    def list_refunds(self, *, transaction=None, page=1, per_page=50, from_=None, to=None):
        """GET /refund -> one page (list) of refunds, newest first."""
        params = self._body(
            transaction=transaction, page=page, perPage=per_page, to=to, **{"from": from_}
        )
        return self._data("GET", "/refund", params=self._window(params))

    def iter_refunds(self, *, transaction=None, from_=None, to=None, per_page=100):
        """Every refund (of `transaction`, a reference or id, when given), page after page."""
        return self.iter_list(
            "/refund", per_page=per_page, from_=from_, to=to, transaction=transaction
        )

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

    def list_transfers(self, *, page=1, per_page=50, status=None, from_=None, to=None):
        """GET /transfer -> one page (list) of transfers, newest first."""
        params = self._body(page=page, perPage=per_page, status=status, to=to, **{"from": from_})
        return self._data("GET", "/transfer", params=self._window(params))

    def iter_transfers(self, *, per_page=100, from_=None, to=None, **filters):
        """Every transfer matching the filters, page after page (for reconciliation)."""
        return self.iter_list("/transfer", per_page=per_page, from_=from_, to=to, **filters)

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

    def validate_customer(self, customer_code, **identification):
        """POST /customer/:code/identification (BVN, NIN...): 202, the answer comes later as a
        customeridentification.success / .failed webhook."""
        path = f"/customer/{self._segment(customer_code, 'customer')}/identification"
        return self._request("POST", path, json=self._body(**identification))

    # --- transfer control (OTP on the integration) -------------------------------------------
    def disable_transfer_otp(self):
        """POST /transfer/disable_otp: Paystack sends an OTP to the business's phone."""
        return self._request("POST", "/transfer/disable_otp")

    def finalize_disable_transfer_otp(self, *, otp):
        """POST /transfer/disable_otp_finalize with that OTP: transfers need no OTP from now."""
        return self._request("POST", "/transfer/disable_otp_finalize", json={"otp": str(otp)})

    def enable_transfer_otp(self):
        """POST /transfer/enable_otp: every transfer waits for an OTP again."""
        return self._request("POST", "/transfer/enable_otp")
