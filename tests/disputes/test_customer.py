"""The customer's side: "Report a problem" on any of their transactions opens a case in the
back-office queue (audited); another customer's transaction or case is a 404; a disputed
deposit's hold is explained on the dashboard and the transaction, and the history says
"Held while a card payment is disputed" then "Released"."""

import pytest
from django.test import Client

from wallet.models import AuditEntry, SupportCase
from wallet.services.backoffice import actions
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(wallet):
    return WalletService().deposit(wallet=wallet, amount="250.00", description="Gift")


def test_a_report_opens_a_case_the_support_queue_shows_and_the_answer_reaches_the_customer(
    client_logged_in, funded, make_staff
):
    receipt = client_logged_in.get(f"/wallet/transactions/{funded.pk}/").content.decode()
    assert "Report a problem" in receipt
    response = client_logged_in.post(
        f"/wallet/transactions/{funded.pk}/report/", {"words": "I never got this gift."}
    )
    case = SupportCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wallet/support/{case.pk}/"
    assert (case.transaction, case.status) == (funded, "open")
    assert AuditEntry.objects.get(action="report_problem").customer == funded.wallet.user
    support = Client()  # the customer's client stays signed in as the customer
    support.force_login(make_staff("Support"))
    assert (
        f"/admin/wallet/supportcase/{case.pk}/"
        in support.get("/admin/wallet/supportcase/").content.decode()
    )
    assert (
        "I never got this gift."
        in support.get(f"/admin/wallet/supportcase/{case.pk}/change/").content.decode()
    )
    actions.perform(
        actor=make_staff("Support"), name="answer_support_case", target=case,
        raw={"answer": "It arrived on 3 Dec; see your history."}, reason="internal note 42",
    )  # fmt: skip
    page = client_logged_in.get(f"/wallet/support/{case.pk}/").content.decode()
    assert "It arrived on 3 Dec" in page and "Answered" in page
    assert "internal note 42" not in page
    assert AuditEntry.objects.get(action="answer_support_case").outcome == "done"


def test_another_customers_transaction_and_case_are_404_and_nothing_is_opened(
    client, other_user, funded, make_user
):
    client.force_login(other_user)
    assert client.get(f"/wallet/transactions/{funded.pk}/report/").status_code == 404
    posted = client.post(f"/wallet/transactions/{funded.pk}/report/", {"words": "mine now"})
    assert posted.status_code == 404 and not SupportCase.objects.exists()
    from wallet.services.support import report_problem

    case = report_problem(user=funded.wallet.user, transaction=funded, words="Help")
    assert client.get(f"/wallet/support/{case.pk}/").status_code == 404


def test_an_empty_or_too_long_report_is_refused_and_opens_nothing(client_logged_in, funded):
    for words in ("", "   ", "x" * 2001):
        response = client_logged_in.post(
            f"/wallet/transactions/{funded.pk}/report/", {"words": words}
        )
        assert response.status_code == 422
    assert not SupportCase.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_disputed_deposit_is_explained_and_the_history_says_held_then_released(
    client_logged_in, wallet, card_deposit, disputes
):
    deposit = card_deposit(amount="1000.00")
    opened = disputes.open(deposit, due_in_seconds=5 * 86400)
    disputes.deliver("charge.dispute.create", deposit.reference)
    dashboard = client_logged_in.get("/wallet/").content.decode()
    assert "₦1,000.00 held while a card payment is disputed" in dashboard
    receipt = client_logged_in.get(f"/wallet/transactions/{deposit.pk}/").content.decode()
    assert "This card payment is disputed" in receipt and "What happens next" in receipt
    assert "released to your wallet" in receipt
    history = client_logged_in.get("/wallet/transactions/").content.decode()
    assert "Held while a card payment is disputed" in history
    disputes.resolve(opened, won=True)
    disputes.deliver("charge.dispute.resolve", deposit.reference)
    history = client_logged_in.get("/wallet/transactions/").content.decode()
    assert "Released" in history
    receipt = client_logged_in.get(f"/wallet/transactions/{deposit.pk}/").content.decode()
    assert "decided in your favour" in receipt


def test_a_hold_is_told_in_the_bell_once_even_when_the_webhook_comes_twice(
    wallet, card_deposit, disputes, mailoutbox
):
    from wallet.models import Notification

    deposit = card_deposit(amount="800.00")
    disputes.open(deposit)
    disputes.deliver("charge.dispute.create", deposit.reference, times=2)

    held = Notification.objects.filter(user=wallet.user, kind="hold")
    assert held.count() == 1
    assert "₦800.00 of your money is on hold" in held.get().title
    assert "staff" not in held.get().body.lower()
