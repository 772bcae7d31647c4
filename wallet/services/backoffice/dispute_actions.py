"""The staff actions on a card-payment dispute (Finance only: `handle_dispute`): upload the
evidence file, send the evidence, accept, decline. Accepting and declining decide where the
disputed money goes: above the approval threshold a second Finance user approves first."""

from wallet.exceptions import WalletError
from wallet.models import Dispute
from wallet.services.backoffice.staff_action import ABOVE_THRESHOLD, StaffAction
from wallet.services.disputes import staff
from wallet.services.disputes.evidence import prefilled_evidence


def _upload(dispute, params, reason):
    name = staff.upload_receipt(dispute)
    return f"The deposit's receipt was uploaded to Paystack as evidence ({name})."


def _send_evidence(dispute, params, reason):
    evidence_id = staff.send_evidence(dispute, params)
    return f"The evidence was sent to Paystack (evidence {evidence_id})."


def _outcome(dispute):
    if dispute.status == Dispute.Status.LOST:
        return f"Lost: {dispute.lost_amount:,.2f} left through Paystack clearing."
    if dispute.status == Dispute.Status.WON:
        return f"Won: {dispute.held:,.2f} released to the wallet."
    return "Paystack has not resolved it yet; the sync job will apply its answer."


def _accept(dispute, params, reason):
    return _outcome(staff.answer(dispute, accept=True, message="The business accepts the claim"))


def _decline(dispute, params, reason):
    return _outcome(staff.answer(dispute, accept=False, message="The business declines the claim"))


def _clean_answer(dispute, raw):
    if not dispute.uploaded_filename:
        raise WalletError("Upload the evidence file first.")
    return {}


def _clean_decline(dispute, raw):
    _clean_answer(dispute, raw)
    if not dispute.evidence_id:
        raise WalletError("Send the evidence before declining.")
    return {}


DISPUTE_ACTIONS = [
    StaffAction(
        "upload_dispute_file", "Upload evidence file", "handle_dispute", Dispute, _upload,
        applies=lambda d: d.is_open,
        describe="Upload the deposit's receipt and timeline (from the site's records) to "
        "Paystack as the dispute's evidence file. Moves no money.",
    ),
    StaffAction(
        "send_dispute_evidence", "Send evidence", "handle_dispute", Dispute, _send_evidence,
        applies=lambda d: d.is_open, clean=lambda d, raw: staff.clean_evidence(raw),
        initial=prefilled_evidence, inputs=("evidence",),
        describe="Send Paystack what the site knows about this payment (pre-filled; check it "
        "before sending). Moves no money.",
    ),
    StaffAction(
        "accept_dispute", "Accept dispute", "handle_dispute", Dispute, _accept,
        applies=lambda d: d.is_open, clean=_clean_answer, amount=lambda d, p: d.amount,
        describe="The payer's bank gets the disputed amount back: what the wallet holds for it "
        "leaves through Paystack clearing; what it could not cover is booked as exposure.",
        approval=ABOVE_THRESHOLD, moves_money=True,
    ),
    StaffAction(
        "decline_dispute", "Decline dispute", "handle_dispute", Dispute, _decline,
        applies=lambda d: d.is_open, clean=_clean_decline, amount=lambda d, p: d.amount,
        describe="Contest the claim with the evidence and file sent. If Paystack resolves it "
        "for the business, the held amount is released to the wallet.",
        approval=ABOVE_THRESHOLD, moves_money=True,
    ),
]  # fmt: skip
