"""The review step and the PIN on the pages: withdraw, send, settle now, schedules; safety mode
after a sign-in from a new browser; the account-limits panel."""

from decimal import Decimal

import pytest
from django.test import Client

from tests.outflows.conftest import PIN
from tests.wallet.money import balances
from wallet.models import Payout, Settlement, SettlementSchedule, Transaction, Wallet

pytestmark = pytest.mark.django_db


def withdraw(client, bank_account, step, **extra):
    form = {"bank_account": bank_account.pk, "amount": "1500", "step": step, **extra}
    return client.post("/wallet/withdraw/", form)


def test_the_withdrawal_review_shows_bank_name_amount_fee_total_and_arrival(
    client_logged_in, user, pin_of, bank_account
):
    pin_of(user)
    response = withdraw(client_logged_in, bank_account, "review")
    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("Zenith Bank", "Zenith Test Account", "₦1,500.00", "₦10.00", "₦1,510.00"):
        assert shown in page
    assert "Expected arrival" in page and 'name="pin"' in page
    assert "autofocus" not in page
    assert not Payout.objects.exists()


def test_a_withdrawal_is_sent_only_with_the_right_pin_and_once_per_review(
    client_logged_in, user, pin_of, funded_wallet, bank_account, sandbox
):
    pin_of(user)
    page = withdraw(client_logged_in, bank_account, "review").content.decode()
    reference = page.split('name="reference" value="')[1].split('"')[0]
    wrong = withdraw(client_logged_in, bank_account, "send", reference=reference, pin="9999")
    assert wrong.status_code == 422 and b"not right" in wrong.content
    assert not Payout.objects.exists()
    for _ in range(2):  # the review's button pressed twice
        sent = withdraw(client_logged_in, bank_account, "send", reference=reference, pin=PIN)
        assert sent.status_code == 302
    assert Payout.objects.count() == 1
    assert balances(funded_wallet) == [Decimal("8490.00")]


def test_the_review_names_the_check_that_fails_not_the_daily_limit(
    client_logged_in, user, pin_of, funded_wallet, bank_account
):
    pin_of(user)
    response = client_logged_in.post(
        "/wallet/withdraw/",
        {"bank_account": bank_account.pk, "amount": "60000", "step": "review"},
    )
    assert response.status_code == 422
    refusal = "Insufficient funds: you have ₦10,000.00; this needs ₦60,050.00."
    assert refusal in response.content.decode()
    assert b"daily limit" not in response.content


def test_the_first_send_sets_the_pin_on_the_review_screen(
    client_logged_in, user, funded_wallet, other_wallet
):
    form = {"recipient": other_wallet.public_code, "amount": "700"}
    review = client_logged_in.post("/wallet/send/", {**form, "step": "review"}).content.decode()
    assert "Choose your transaction PIN" in review and 'name="new_pin_confirm"' in review
    mismatch = {**form, "step": "send", "new_pin": "4826", "new_pin_confirm": "4827"}
    assert client_logged_in.post("/wallet/send/", mismatch).status_code == 422
    sent = {**form, "step": "send", "new_pin": "4826", "new_pin_confirm": "4826"}
    assert client_logged_in.post("/wallet/send/", sent).status_code == 302
    assert balances(other_wallet) == [Decimal("700.00")]
    review = client_logged_in.post("/wallet/send/", {**form, "step": "review"}).content.decode()
    assert 'name="pin"' in review and "Choose your transaction PIN" not in review


def test_settle_now_has_a_review_and_takes_the_pin(
    client_logged_in, user, pin_of, funded_wallet, bank_account, sandbox
):
    pin_of(user)
    form = {"bank_account": bank_account.pk, "amount": "3000"}
    review = client_logged_in.post("/wallet/settlements/settle/", form)
    assert review.status_code == 200 and "₦3,010.00" in review.content.decode()
    refused = client_logged_in.post("/wallet/settlements/settle/", {**form, "step": "send"})
    assert refused.status_code == 422 and not Settlement.objects.exists()
    done = client_logged_in.post(
        "/wallet/settlements/settle/", {**form, "step": "send", "pin": PIN}
    )
    assert done.status_code == 302 and Settlement.objects.count() == 1


def test_a_settlement_schedule_is_saved_only_with_the_pin(
    client_logged_in, user, pin_of, funded_wallet, bank_account
):
    pin_of(user)
    form = {
        "schedule_type": "daily",
        "bank_account": bank_account.pk,
        "time_of_day": "17:00",
        "amount_mode": "all",
        "minimum_balance": "0",
    }
    refused = client_logged_in.post("/wallet/settlements/schedules/new/", form)
    assert refused.status_code == 422 and not SettlementSchedule.objects.exists()
    saved = client_logged_in.post("/wallet/settlements/schedules/new/", {**form, "pin": PIN})
    assert saved.status_code == 302 and SettlementSchedule.objects.count() == 1


def sign_in(client, user):
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    return client


def test_a_sign_in_from_a_new_browser_caps_outflows_and_the_dashboard_says_why(
    user, funded_wallet, other_wallet, mailoutbox, settings, django_capture_on_commit_callbacks
):
    from wallet.services.wallet_service import WalletService

    settings.WALLET_PIN_REQUIRED = False
    WalletService().deposit(wallet=funded_wallet, amount="20000")
    browser = sign_in(Client(), user)  # the first browser is trusted
    assert Wallet.objects.get(pk=funded_wallet.pk).safety_until is None
    browser.post("/accounts/logout/")  # (Client.logout() would drop every cookie)
    sign_in(browser, user)  # the same browser again: its signed device cookie is known
    assert Wallet.objects.get(pk=funded_wallet.pk).safety_until is None
    assert not [m for m in mailoutbox if "limited" in m.subject]

    with django_capture_on_commit_callbacks(execute=True):  # the notice goes after commit
        stranger = sign_in(Client(), user)
    assert Wallet.objects.get(pk=funded_wallet.pk).safety_until is not None
    assert "limited" in mailoutbox[-1].subject
    dashboard = stranger.get("/wallet/").content.decode()
    assert "You signed in on a new device" in dashboard and "₦20,000.00 left" in dashboard

    form = {"recipient": other_wallet.public_code, "step": "send"}
    assert stranger.post("/wallet/send/", {**form, "amount": "16000"}).status_code == 302
    refused = stranger.post("/wallet/send/", {**form, "amount": "4000.01"})
    assert refused.status_code == 422 and b"new device" in refused.content
    assert balances(other_wallet) == [Decimal("16000.00")]
    assert not Transaction.objects.filter(amount=Decimal("4000.01")).exists()


def test_the_dashboard_shows_the_tier_and_what_is_left_today(client_logged_in, funded_wallet):
    from wallet.services.wallet_service import WalletService

    WalletService().withdraw(wallet=funded_wallet, amount="1500")
    page = client_logged_in.get("/wallet/").content.decode()
    assert "Account limits · Tier 1" in page
    assert "₦48,500.00 of ₦50,000.00" in page
    assert "Upgrade to Tier 2" in page


def test_resuming_a_schedule_takes_the_pin(
    client_logged_in, user, pin_of, funded_wallet, bank_account
):
    from wallet.services.settlement_service import SettlementService

    pin_of(user)
    service = SettlementService()
    schedule = service.create_settlement_schedule(
        wallet=funded_wallet, bank_account=bank_account, schedule_type="daily"
    )
    service.pause_settlement_schedule(schedule)
    url = f"/wallet/settlements/schedules/{schedule.pk}/resume/"
    assert b"Transaction PIN" in client_logged_in.get(url).content
    assert client_logged_in.post(url, {"pin": "9999"}).status_code == 422
    schedule.refresh_from_db()
    assert not schedule.is_active
    assert client_logged_in.post(url, {"pin": PIN}).status_code == 302
    schedule.refresh_from_db()
    assert schedule.is_active
