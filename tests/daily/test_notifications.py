"""Notifications (issue 23): money in and out, once per event, e-mailed after commit by the
worker, never twice; the customer's choices; the bell's count in the dashboard's live poll."""

from decimal import Decimal

import pytest
from django.db import transaction as db

from wallet.models import Notification, NotificationKind
from wallet.services import notifications
from wallet.services.notifications import events
from wallet.services.wallet_service import WalletService

# The money commits for real (transaction=True) and django-q2 runs its tasks inline: a
# transfer's notifications are told by the worker after the commit.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("q_sync")]


def _send(source, destination, amount="5000", reference=None):
    return WalletService().transfer(
        source_wallet=source, destination_wallet=destination, amount=Decimal(amount),
        reference=reference,
    )


def test_a_transfer_tells_the_recipient_who_sent_how_much_and_the_sender_to_whom_and_the_fee(
    funded_wallet, other_wallet
):
    sent = _send(funded_wallet, other_wallet, "5000")

    money_in = Notification.objects.get(user=other_wallet.user)
    money_out = Notification.objects.get(user=funded_wallet.user)
    assert money_in.kind == NotificationKind.MONEY_IN
    assert money_in.title == "Alice Adeyemi sent you ₦5,000.00"
    assert money_out.kind == NotificationKind.MONEY_OUT
    assert money_out.title == "You sent ₦5,000.00 to Bob Bello"
    assert "fee" in money_out.body.lower() and sent.reference in money_out.body


def test_the_same_transfer_replayed_is_one_notification_each(funded_wallet, other_wallet):
    _send(funded_wallet, other_wallet, "100", reference="trf-same-1")
    _send(funded_wallet, other_wallet, "100", reference="trf-same-1")  # a replay

    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_e_mail_leaves_after_commit_through_the_worker_and_only_once(
    funded_wallet, other_wallet, mailoutbox, q_sync
):
    with db.atomic():
        _send(funded_wallet, other_wallet, "1234.56")
        assert mailoutbox == []  # nothing leaves before the money has committed

    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == [
        "[Paystack Wallet] Alice Adeyemi sent you ₦1,234.56",
        "[Paystack Wallet] You sent ₦1,234.56 to Bob Bello",
    ]
    received = next(m for m in mailoutbox if "sent you" in m.subject)
    assert received.to == ["bob@example.com"] and received.body.startswith("Hello Bob,")
    assert "support@" in received.body
    for notification in Notification.objects.all():  # a retried task sends nothing more
        assert notifications.deliver_email(notification.pk) is False
    assert len(mailoutbox) == 2


def test_a_kind_turned_off_is_not_e_mailed_but_still_shown(
    funded_wallet, other_wallet, mailoutbox, q_sync, django_capture_on_commit_callbacks
):
    notifications.save_settings(
        user=other_wallet.user, emails_off=[NotificationKind.MONEY_IN], low_balance_below=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        _send(funded_wallet, other_wallet, "100")

    assert Notification.objects.filter(user=other_wallet.user).count() == 1
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_security_notices_cannot_be_turned_off(user, mailoutbox, q_sync,
                                               django_capture_on_commit_callbacks):
    saved = notifications.save_settings(
        user=user, emails_off=[NotificationKind.SECURITY], low_balance_below=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.security_notice(
            user=user, title="New sign-in", body="A new browser signed in.", event_key="s1"
        )

    assert saved.emails_off == []
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "[Paystack Wallet] New sign-in"


def test_a_low_balance_alert_comes_once_when_the_chosen_amount_is_crossed(
    funded_wallet, other_wallet
):
    notifications.save_settings(
        user=funded_wallet.user, emails_off=[], low_balance_below=Decimal("5000")
    )
    _send(funded_wallet, other_wallet, "4000")  # 10,000 -> 6,000: still above
    _send(funded_wallet, other_wallet, "2000")  # 6,000 -> 4,000: crossed
    _send(funded_wallet, other_wallet, "1000")  # already below: no second alert

    [alert] = Notification.objects.filter(kind=NotificationKind.LOW_BALANCE)
    assert alert.title == "Your balance is ₦4,000.00, below ₦5,000.00"


def test_the_settings_page_refuses_a_bad_amount_and_keeps_security_on(client_logged_in, user):
    bad = client_logged_in.post("/wallet/notifications/settings/", {"low_balance_below": "1e3"})
    good = client_logged_in.post(
        "/wallet/notifications/settings/",
        {"low_balance_below": "2,500", "email_money_in": "on"},
    )

    assert bad.status_code == 422
    assert good.status_code == 302
    chosen = notifications.settings_for(user)
    assert chosen.low_balance_below == Decimal("2500.00")
    assert chosen.emails(NotificationKind.SECURITY) and not chosen.emails(NotificationKind.REFUND)


def test_opening_a_notification_marks_it_read_and_goes_to_the_receipt(
    client, funded_wallet, other_wallet, other_user
):
    _send(funded_wallet, other_wallet, "300")
    notification = Notification.objects.get(user=other_user)
    client.force_login(other_user)

    response = client.post(f"/wallet/notifications/{notification.pk}/open/")

    notification.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == notification.link
    assert notification.read_at is not None
    assert client.get(notification.link).status_code == 200


def test_another_users_notification_is_404_and_stays_unread(
    client_logged_in, funded_wallet, other_wallet, other_user
):
    _send(funded_wallet, other_wallet, "300")
    theirs = Notification.objects.get(user=other_user)

    assert client_logged_in.post(f"/wallet/notifications/{theirs.pk}/open/").status_code == 404
    assert client_logged_in.get(f"/wallet/notifications/{theirs.pk}/open/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_count_joins_the_live_polls_version_check_with_one_query(
    client, funded_wallet, other_wallet, other_user, django_assert_num_queries
):
    client.force_login(other_user)
    first = client.get("/wallet/?panel=live&v=x", HTTP_HX_REQUEST="true").content.decode()
    version = first.split("v=", 1)[1].split('"', 1)[0]
    from html import unescape
    from urllib.parse import unquote

    version = unquote(unescape(version))
    unchanged = client.get(f"/wallet/?panel=live&v={version}", HTTP_HX_REQUEST="true")
    _send(funded_wallet, other_wallet, "750")
    changed = client.get(f"/wallet/?panel=live&v={version}", HTTP_HX_REQUEST="true")

    assert unchanged.status_code == 204
    assert changed.status_code == 200
    body = changed.content.decode()
    assert 'hx-swap-oob="true"' in body and 'data-testid="bell-count"' in body
    assert "1 unread" in body


def test_a_withdrawal_that_crosses_the_low_balance_amount_tells_the_owner(
    funded_wallet, add_account
):
    notifications.save_settings(
        user=funded_wallet.user, emails_off=[], low_balance_below=Decimal("5000")
    )
    WalletService().withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("6000"), bank_account=add_account(funded_wallet)
    )

    [alert] = Notification.objects.filter(kind=NotificationKind.LOW_BALANCE)
    assert "below ₦5,000.00" in alert.title


@pytest.mark.django_db(transaction=True)
def test_a_paid_withdrawal_is_one_notification_and_one_e_mail_even_when_told_twice(
    funded_wallet, add_account, sandbox, mailoutbox, q_sync
):
    from wallet.services.payouts.transfers import apply_transfer_status

    tx, _ = WalletService().withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("1000"), bank_account=add_account(funded_wallet)
    )
    sandbox.settle()
    for _ in range(2):  # the webhook and the reconcile job both report it
        apply_transfer_status(tx.payout.reference, "success", {})

    [told] = Notification.objects.filter(kind=NotificationKind.PAYOUT)
    assert told.title == "Your withdrawal of ₦1,000.00 has been paid"
    # (The bank account's security notice, issue 20, is the other e-mail of this test.)
    about_it = [m.subject for m in mailoutbox if "your withdrawal" in m.subject.lower()]
    assert about_it == ["[Paystack Wallet] Your withdrawal of ₦1,000.00 has been paid"]


def test_a_card_payment_and_its_failed_refund_are_each_told_once(
    wallet, card_deposit, sandbox, delivery, client, q_sync
):
    from tests.funding.conftest import REFUND_FAILS_CARD, post_webhook
    from wallet.services.transaction_service import TransactionService

    deposit = card_deposit("800.00", card=REFUND_FAILS_CARD)
    TransactionService().refund_transaction(transaction=deposit, amount=Decimal("300.00"))
    sandbox.settle()
    sent = delivery("refund.failed", deposit.reference)
    for _ in range(3):  # duplicates
        post_webhook(client, sent["body"], sent["signature"])

    told = Notification.objects.filter(user=wallet.user).order_by("id")
    assert [(n.kind, n.title) for n in told] == [
        (NotificationKind.MONEY_IN, "₦800.00 added by card"),
        (
            NotificationKind.REFUND,
            "Refund of ₦300.00 not completed: the money is back in your wallet",
        ),
    ]
