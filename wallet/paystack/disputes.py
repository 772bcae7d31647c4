"""Paystack's Disputes API (a mixin of PaystackClient): amounts in kobo, as Paystack sends."""

import requests

from wallet.exceptions import PaystackAPIError, PaystackUnavailable


class DisputesMixin:
    def list_disputes(self, *, page=1, per_page=50, status=None, from_=None, to=None):
        """GET /dispute -> one page (list) of disputes, newest first."""
        params = self._body(page=page, perPage=per_page, status=status, to=to, **{"from": from_})
        return self._data("GET", "/dispute", params=self._window(params))

    def iter_disputes(self, *, from_=None, to=None, per_page=100, **filters):
        """Every dispute (of the window, status...), page after page (for reconciliation)."""
        return self.iter_list("/dispute", per_page=per_page, from_=from_, to=to, **filters)

    def fetch_dispute(self, dispute_id):
        """GET /dispute/:id -> the dispute (status, resolution, refund_amount, dueAt...)."""
        return self._data("GET", f"/dispute/{self._segment(dispute_id, 'dispute id')}")

    def transaction_disputes(self, transaction_id):
        """GET /dispute/transaction/:id -> the dispute of one transaction."""
        return self._data("GET", f"/dispute/transaction/{self._segment(transaction_id, 'id')}")

    def update_dispute(self, dispute_id, *, refund_amount_kobo, uploaded_filename=None):
        """PUT /dispute/:id -> the dispute with its new refund amount (and attachment)."""
        body = self._body(
            refund_amount=self._kobo(refund_amount_kobo), uploaded_filename=uploaded_filename
        )
        return self._data("PUT", f"/dispute/{self._segment(dispute_id, 'dispute id')}", json=body)

    def add_dispute_evidence(self, dispute_id, **evidence):
        """POST /dispute/:id/evidence (customer_email, customer_name, customer_phone,
        service_details, delivery_address?, delivery_date?) -> the evidence (its `id`)."""
        path = f"/dispute/{self._segment(dispute_id, 'dispute id')}/evidence"
        return self._data("POST", path, json=self._body(**evidence))

    def dispute_upload_url(self, dispute_id):
        """GET /dispute/:id/upload_url -> {signedUrl, fileName}."""
        return self._data("GET", f"/dispute/{self._segment(dispute_id, 'dispute id')}/upload_url")

    def upload_dispute_file(self, signed_url, content: bytes, content_type="application/pdf"):
        """PUT the file to the signed URL Paystack gave (no Paystack key is sent there)."""
        try:
            response = requests.put(
                signed_url, data=content, headers={"Content-Type": content_type}, timeout=30
            )
        except requests.RequestException as error:
            raise PaystackUnavailable(f"The upload did not finish: {error}")
        if response.status_code >= 400:
            raise PaystackAPIError(f"The upload was refused ({response.status_code}).")

    def resolve_dispute(
        self,
        dispute_id,
        *,
        resolution,
        message,
        refund_amount_kobo,
        uploaded_filename,
        evidence=None,
    ):
        """PUT /dispute/:id/resolve: `merchant-accepted` or `declined` -> the resolved dispute."""
        body = self._body(
            resolution=resolution,
            message=message,
            refund_amount=self._kobo(refund_amount_kobo),
            uploaded_filename=uploaded_filename,
            evidence=evidence,
        )
        path = f"/dispute/{self._segment(dispute_id, 'dispute id')}/resolve"
        return self._data("PUT", path, json=body)

    def export_disputes(self, *, status=None, from_=None, to=None):
        """GET /dispute/export -> {path, expiresAt} (a CSV to download)."""
        params = self._body(status=status, to=to, **{"from": from_})
        return self._data("GET", "/dispute/export", params=self._window(params))
