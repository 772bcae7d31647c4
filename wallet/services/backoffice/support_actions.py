"""The staff actions on a customer's problem report: answer it, close it. Neither moves
money. The answer is written for the customer and shown on their case; the reason stays in
the audit log."""

from wallet.models import SupportCase
from wallet.services import support
from wallet.services.backoffice.staff_action import StaffAction


def _answer(case, params, reason, actor):
    support.answer_case(case, staff_user=actor, words=params["answer"])
    return "The answer is on the customer's case."


def _close(case, params, reason):
    support.close_case(case)
    return "The case is closed."


SUPPORT_ACTIONS = [
    StaffAction(
        "answer_support_case", "Answer the customer", "answer_support_case", SupportCase,
        _answer, applies=lambda c: c.status != SupportCase.Status.CLOSED, wants_actor=True,
        clean=lambda c, raw: {"answer": support.clean_words(raw.get("answer"))},
        inputs=("answer",),
        describe="Your answer is shown to the customer on their case. Moves no money.",
    ),
    StaffAction(
        "close_support_case", "Close case", "answer_support_case", SupportCase, _close,
        applies=lambda c: c.status != SupportCase.Status.CLOSED,
        describe="The case leaves the queue. Moves no money.",
    ),
]  # fmt: skip
