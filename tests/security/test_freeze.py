"""The "This wasn't me" link: no login, one button; it freezes every outflow (transfer,
withdrawal, settlement) on every face, ends every session and revokes every API token."""

import json
from decimal import Decimal

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import log_in_through_form
from tests.api.v1.conftest import Api, token_api
from tests.wallet.money import balances
from wallet.exceptions import OutflowsFrozen
from wallet.models import ApiToken, AuditEntry, Transaction, Wallet
from wallet.services.api_tokens import issue_token
from wallet.services.outflows.account_security import freeze_token, freeze_url
from wallet.services.settlement_service import SettlementService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db

service = WalletService()


def freeze_path(user):
    return f"/wallet/security/freeze/{freeze_token(user)}/"


def signed_in(user):
    """A real sign-in (allauth.usersessions records it), each from its own browser."""
    client = Client()
    assert log_in_through_form(client, user.email).status_code == 302
    return client


@pytest.fixture
def frozen(user, funded_wallet):
    Client().post(freeze_path(user))
    funded_wallet.refresh_from_db()
    return funded_wallet


def test_opening_the_link_explains_and_freezes_nothing(user, funded_wallet):
    page = Client().get(freeze_path(user))

    assert page.status_code == 200 and b"Freeze my account" in page.content
    assert Wallet.objects.get(pk=funded_wallet.pk).outflows_frozen_at is None


def test_the_button_freezes_signs_out_everywhere_and_revokes_every_token(user, funded_wallet):
    browsers = [signed_in(user) for _ in range(2)]
    _, secret = issue_token(user=user, name="Shop", scope="money")
    assert UserSession.objects.filter(user=user).count() == 2

    done = Client().post(freeze_path(user))  # no login

    assert done.status_code == 200 and b"Your account is frozen" in done.content
    assert Wallet.objects.get(pk=funded_wallet.pk).outflows_frozen_at is not None
    assert not UserSession.objects.filter(user=user).exists()
    for browser in browsers:
        assert browser.get("/wallet/").status_code == 302  # back to the login page
    assert ApiToken.objects.get(user=user).revoked_at is not None
    bearer = Api(Client(headers={"Authorization": f"Bearer {secret}"}))
    assert bearer.get("me/").status_code == 401
    entry = AuditEntry.objects.get(action="account_frozen")
    assert entry.customer == user and "sessions ended: 2" in entry.detail


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJ1Ijo5OTk5OX0:1vAAAA:forged", "a" * 300],
    ids=["junk", "forged", "long"],
)
def test_a_forged_or_altered_link_is_400_and_freezes_nothing(user, funded_wallet, token):
    response = Client().post(f"/wallet/security/freeze/{token}/")

    assert response.status_code == 400
    assert Wallet.objects.get(pk=funded_wallet.pk).outflows_frozen_at is None


def test_the_link_in_a_notice_points_at_the_freeze_page(user):
    assert freeze_url(user).endswith(freeze_path(user))


def test_the_freeze_is_on_the_customers_back_office_page(user, frozen, superuser_client):
    page = superuser_client.get(reverse("admin:customer", args=[user.pk]))

    assert page.status_code == 200 and b"account_frozen" in page.content


def test_the_customer_sees_the_freeze_on_the_dashboard(user, frozen):
    page = signed_in(user).get("/wallet/").content.decode()

    assert "This wasn't me" in page and "no money can leave your wallet" in page


# --- a freeze stops every outflow, on every face ---------------------------------------------


def test_service_transfers_are_refused_on_both_paths(frozen, other_wallet, both_transfer_paths):
    with pytest.raises(OutflowsFrozen):
        service.transfer(source_wallet=frozen, destination_wallet=other_wallet, amount="10")
    assert balances(frozen, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_money_still_comes_in(frozen, other_wallet, both_transfer_paths):
    service.deposit(wallet=other_wallet, amount="50")
    service.transfer(source_wallet=other_wallet, destination_wallet=frozen, amount="50")
    assert balances(frozen) == [Decimal("10050.00")]


def test_service_withdrawals_and_settlements_are_refused(frozen, stored_bank_account):
    with pytest.raises(OutflowsFrozen):
        service.withdraw_to_bank(wallet=frozen, amount="100", bank_account=stored_bank_account)
    with pytest.raises(OutflowsFrozen):
        SettlementService().create_settlement(frozen, stored_bank_account, "100")
    with pytest.raises(OutflowsFrozen):
        service.withdraw(wallet=frozen, amount="100")
    assert balances(frozen) == [Decimal("10000.00")]


def test_the_web_send_page_refuses(user, frozen, other_wallet, no_pin):
    browser = signed_in(user)
    form = {"recipient": other_wallet.public_code, "step": "send", "amount": "10"}

    refused = browser.post("/wallet/send/", form)

    assert refused.status_code == 422 and b"frozen" in refused.content
    assert balances(frozen) == [Decimal("10000.00")]


def test_the_guides_transfer_endpoint_refuses(user, frozen, other_wallet, no_pin):
    body = {"destination_wallet_id": other_wallet.pk, "amount": 10}

    response = signed_in(user).post(
        "/wallet/api/wallets/default/transfer/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 423 and response.json()["error"] == "outflows_frozen"
    assert balances(frozen) == [Decimal("10000.00")]


@pytest.mark.parametrize("caller", ["session", "token"])
def test_v1_transfers_withdrawals_and_settlements_are_refused(
    user, frozen, other_wallet, stored_bank_account, no_pin, caller
):
    api = Api(signed_in(user)) if caller == "session" else None
    if caller == "token":
        # A token made after the freeze (support restored access, say) still moves nothing.
        api = token_api(user, "money")
    account = {"bank_account_id": stored_bank_account.pk, "amount": "100"}

    answers = [
        api.post("me/transfers/", {"recipient": other_wallet.public_code, "amount": "10"}),
        api.post("me/withdrawals/", account),
        api.post("me/settlements/", account),
    ]

    assert [(a.status_code, a.json()["error"]) for a in answers] == [(423, "outflows_frozen")] * 3
    assert balances(frozen) == [Decimal("10000.00")]
    assert not Transaction.objects.filter(wallet=frozen, direction="debit").exists()


def test_a_scheduled_settlement_is_refused_and_says_why(frozen, stored_bank_account):
    from tests.payouts.test_schedule_processor import make_due, run_all

    schedule = SettlementService().create_settlement_schedule(
        wallet=frozen, bank_account=stored_bank_account, schedule_type="daily"
    )
    make_due(schedule)

    (run,) = run_all()

    assert run.outcome == "skipped" and "frozen" in run.reason
    assert balances(frozen) == [Decimal("10000.00")]


def test_support_lifts_the_freeze_through_an_audited_staff_action(
    user, frozen, other_wallet, staff_client_for
):
    support = staff_client_for("Support")

    refused = support.post(f"/admin/do/lift_freeze/{frozen.pk}/", {"reason": ""})
    lifted = support.post(f"/admin/do/lift_freeze/{frozen.pk}/", {"reason": "Called back, ID ok"})

    assert refused.status_code != 302 and lifted.status_code == 302
    frozen.refresh_from_db()
    assert frozen.outflows_frozen_at is None
    entry = AuditEntry.objects.filter(action="lift_freeze").latest("id")
    assert entry.outcome == "done" and entry.customer == user
    service.transfer(source_wallet=frozen, destination_wallet=other_wallet, amount="10")


@pytest.mark.parametrize(
    ("path", "step"), [("/wallet/withdraw/", "send"), ("/wallet/settlements/settle/", "send")]
)
def test_the_web_withdraw_and_settle_pages_refuse(
    user, frozen, stored_bank_account, no_pin, path, step
):
    browser = signed_in(user)
    form = {"bank_account": stored_bank_account.pk, "amount": "100", "step": step}

    response = browser.post(path, form, follow=True)

    assert "frozen" in response.content.decode()
    assert balances(frozen) == [Decimal("10000.00")]
    assert not Transaction.objects.filter(wallet=frozen, direction="debit").exists()
