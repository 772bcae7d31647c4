"""The back office's answers to a dispute, sent to Paystack (behind the dispute StaffActions;
never inside a database transaction). Accepting or declining applies Paystack's answer at
once, through the same function the webhook uses, so the money moves exactly once."""

from django.utils import timezone

from wallet.exceptions import ActionNotAllowed, WalletError
from wallet.models import Dispute
from wallet.paystack import PaystackClient, to_subunit
from wallet.services.disputes.events import apply_paystack_dispute
from wallet.services.disputes.evidence import timeline

EVIDENCE_FIELDS = (
    "customer_name",
    "customer_email",
    "customer_phone",
    "service_details",
    "delivery_address",
)
REQUIRED = EVIDENCE_FIELDS[:4]


def clean_evidence(raw) -> dict:
    values = {name: " ".join(str(raw.get(name) or "").split())[:1000] for name in EVIDENCE_FIELDS}
    missing = [name.replace("_", " ") for name in REQUIRED if not values[name]]
    if missing:
        raise WalletError(f"Fill in: {', '.join(missing)}.")
    return values


def receipt_text(dispute: Dispute) -> bytes:
    """The evidence file: the deposit's receipt and timeline, from the site's records."""
    lines = [
        f"Receipt for card payment {dispute.deposit.reference}",
        f"Amount: {dispute.currency} {dispute.deposit.amount:,.2f}",
        f"Customer: {dispute.wallet.user.email}",
        "Service: wallet top-up",
        "",
        *(f"{step.at:%Y-%m-%d %H:%M} UTC  {step.what}" for step in timeline(dispute)),
    ]
    return "\n".join(lines).encode()


def upload_receipt(dispute: Dispute, paystack=None) -> str:
    paystack = paystack or PaystackClient()
    signed = paystack.dispute_upload_url(dispute.paystack_id)
    paystack.upload_dispute_file(signed["signedUrl"], receipt_text(dispute), "text/plain")
    Dispute.objects.filter(pk=dispute.pk).update(
        uploaded_filename=str(signed["fileName"])[:200], updated_at=timezone.now()
    )
    return str(signed["fileName"])


def send_evidence(dispute: Dispute, evidence: dict, paystack=None) -> int:
    paystack = paystack or PaystackClient()
    answer = paystack.add_dispute_evidence(
        dispute.paystack_id, **{k: v for k, v in evidence.items() if v}
    )
    Dispute.objects.filter(pk=dispute.pk).update(
        evidence_id=answer.get("id"), evidence_sent_at=timezone.now(), updated_at=timezone.now()
    )
    return answer.get("id")


def answer(dispute: Dispute, *, accept: bool, message: str, paystack=None) -> Dispute:
    """Accept (the customer is refunded the disputed amount) or decline (with the evidence
    and file sent before); then apply Paystack's resolved dispute."""
    dispute.refresh_from_db()
    if not dispute.is_open:
        raise ActionNotAllowed("This dispute is already resolved.")
    if not dispute.uploaded_filename:
        raise ActionNotAllowed("Upload the evidence file first.")
    if not accept and not dispute.evidence_id:
        raise ActionNotAllowed("Send the evidence before declining.")
    paystack = paystack or PaystackClient()
    paystack.resolve_dispute(
        dispute.paystack_id,
        resolution="merchant-accepted" if accept else "declined",
        message=message[:500],
        refund_amount_kobo=to_subunit(dispute.amount),
        uploaded_filename=dispute.uploaded_filename,
        evidence=dispute.evidence_id,
    )
    return apply_paystack_dispute(paystack.fetch_dispute(dispute.paystack_id)) or dispute
