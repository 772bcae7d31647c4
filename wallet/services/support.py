"""Customers' "Report a problem" on a transaction: a support case with its messages, a
back-office queue item. Opening one is audited like a staff action (actor: the customer);
staff answer and close it through StaffActions (wallet/services/backoffice/support_actions)."""

from django.db import transaction as db

from wallet.exceptions import WalletError
from wallet.models import AuditOutcome, SupportCase, SupportMessage, Transaction
from wallet.services.backoffice import audit

MAX_WORDS = 2000


class ProblemNotDescribed(WalletError):
    default_message = "Tell us what went wrong (up to 2,000 characters)."


def clean_words(text) -> str:
    words = str(text or "").strip()
    if not words or len(words) > MAX_WORDS:
        raise ProblemNotDescribed()
    return words


def report_problem(*, user, transaction: Transaction, words: str, ip_address=None) -> SupportCase:
    """Open a case on one of the user's own transactions (the caller looked it up from the
    user's wallet). Raises ProblemNotDescribed."""
    words = clean_words(words)
    if transaction.wallet.user_id != user.pk:
        raise WalletError("This is not your transaction.")
    with db.atomic():
        case = SupportCase.objects.create(user=user, transaction=transaction)
        SupportMessage.objects.create(
            case=case, sender=SupportMessage.Sender.CUSTOMER, author=user, body=words
        )
        audit.record(
            actor=user, action="report_problem", outcome=AuditOutcome.DONE, reason="",
            target=case, after={"status": case.status}, ip_address=ip_address,
            detail=f"Opened by the customer on {transaction.reference}.",
        )  # fmt: skip
    return case


def answer_case(case: SupportCase, *, staff_user, words: str) -> SupportCase:
    """Staff's answer, shown to the customer on the case (their own words, so staff write
    them for the customer; the action's reason stays in the audit log)."""
    words = clean_words(words)
    with db.atomic():
        case = SupportCase.objects.select_for_update().get(pk=case.pk)
        if case.status == SupportCase.Status.CLOSED:
            raise WalletError("This case is closed.")
        SupportMessage.objects.create(
            case=case, sender=SupportMessage.Sender.STAFF, author=staff_user, body=words
        )
        case.status = SupportCase.Status.ANSWERED
        case.save(update_fields=["status", "updated_at"])
    return case


def close_case(case: SupportCase) -> SupportCase:
    SupportCase.objects.filter(pk=case.pk).update(status=SupportCase.Status.CLOSED)
    case.refresh_from_db()
    return case


def cases_for_user(user):
    return SupportCase.objects.filter(user=user).select_related("transaction")
