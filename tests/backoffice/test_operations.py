"""Issue 21: the global search, the repairs, the alerts and their digest, and a dashboard that
never waits on Paystack."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import F

from tests.backoffice.conftest import last_audit
from wallet.exceptions import InsufficientFunds
from wallet.models import AlertDigest, AuditEntry, CustomerNote, Transaction, Wallet, WebhookEvent
from wallet.services.backoffice import actions, alerts, approvals
from wallet.services.ledger.check import run_and_store
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(user):
    user.phone = "+2348030000001"
    user.save(update_fields=["phone"])
    return user


@pytest.mark.parametrize(
    "spoken", ["0803 000 0001", "08030000001", "+234 803 000 0001", "2348030000001", "803-000-0001"]
)
def test_search_finds_a_customer_by_each_phone_format_in_bounded_queries(
    caller, funded_wallet, staff_client_for, django_assert_max_num_queries, spoken
):
    support = staff_client_for("Support")
    with django_assert_max_num_queries(25):
        page = support.get("/admin/search/", {"q": spoken})
    html = page.content.decode()
    assert page.status_code == 200 and caller.email in html
    assert f"/admin/customer/{caller.pk}/" in html


def test_search_finds_a_reference_by_a_fragment_in_another_case(
    funded_wallet, other_wallet, transfer, staff_client_for, django_assert_max_num_queries
):
    sent, other = transfer("123.45"), transfer("67.00")
    support = staff_client_for("Support")
    with django_assert_max_num_queries(25):
        page = support.get("/admin/search/", {"q": sent.reference[-9:].swapcase()})
    html = page.content.decode()
    assert sent.reference in html and other.reference not in html
    assert f"/admin/timeline/{sent.pk}/" in html
    by_amount = support.get("/admin/search/", {"q": "₦123.45"}).content.decode()
    assert sent.reference in by_amount and other.reference not in by_amount


def test_search_finds_a_payout_by_its_account_number(
    funded_wallet, add_account, staff_client_for, sandbox, django_assert_max_num_queries
):
    account = add_account(funded_wallet)
    tx, _ = WalletService().withdraw_to_bank(funded_wallet, Decimal("300"), account)
    finance = staff_client_for("Finance")
    with django_assert_max_num_queries(25):
        page = finance.get("/admin/search/", {"q": account.account_number})
    html = page.content.decode()
    assert tx.payout.reference in html and "Payouts" in html


def test_search_of_odd_input_answers_and_finds_nothing(staff_client_for):
    support = staff_client_for("Support")
    for odd in [
        "%00",
        "'%3B+drop+table",
        "%D9%A3%D9%A3%D9%A3%D9%A3",
        "%ED%A0%80x",
        "%25",
        "_" * 300,
    ]:
        page = support.get(f"/admin/search/?q={odd}")
        assert page.status_code in (200, 400)
        assert '<h2 id="found-' not in page.content.decode()


def _books_pass():
    return run_and_store().ok


def test_restoring_the_balance_after_a_failed_ledger_check_makes_the_extra_unspendable(
    funded_wallet, other_wallet, make_staff
):
    Wallet.objects.filter(pk=funded_wallet.pk).update(balance=F("balance") + Decimal("1000"))
    assert not _books_pass()
    maker, checker = make_staff("Finance"), make_staff("Finance")
    outcome = actions.perform(
        actor=maker, name="restore_balance", target=Wallet.objects.get(pk=funded_wallet.pk),
        raw={}, reason="Ledger check of today: stored balance ₦1,000 over its rows",
    )  # fmt: skip
    assert outcome.approval is not None and outcome.approval.amount == Decimal("1000.00")
    assert Wallet.objects.get(pk=funded_wallet.pk).balance == Decimal("11000.00")  # not yet
    approvals.approve(request=outcome.approval, checker=checker, note="Checked the rows")
    funded_wallet.refresh_from_db()
    assert funded_wallet.balance == Decimal("10000.00")
    assert _books_pass()
    entry = last_audit()
    assert entry.outcome == "approved" and entry.before["balance"] == "11000.00"
    assert entry.after["balance"] == "10000.00" and "₦11,000.00" in entry.detail
    with pytest.raises(InsufficientFunds):
        WalletService().transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("10500")
        )


def test_booking_a_payment_paystack_has_credits_the_right_wallet_once(
    funded_wallet, make_staff, sandbox, user
):
    from wallet.models import LedgerEntry, SystemAccount

    init = sandbox.api(
        "POST", "/transaction/initialize", json={"email": user.email, "amount": 250000}
    ).json()["data"]
    assert sandbox.complete_checkout(init["access_code"]) == "success"
    reference = init["reference"]
    maker, checker = make_staff("Finance"), make_staff("Finance")
    request = actions.perform(
        actor=maker, name="book_missing_payment", target=funded_wallet,
        raw={"paystack_reference": reference}, reason="Paystack shows it; we lack it",
    ).approval  # fmt: skip
    approvals.approve(request=request, checker=checker, note="Seen on Paystack's dashboard")
    funded_wallet.refresh_from_db()
    assert funded_wallet.balance == Decimal("12500.00")
    booked = Transaction.objects.get(reference=reference)
    assert booked.description == "Payment received (booked by Paystack Wallet support)"
    assert "Paystack shows it" not in booked.description
    clearing = LedgerEntry.objects.filter(journal=booked, system_account=SystemAccount.PAYSTACK)
    assert clearing.exists() and _books_pass()
    with pytest.raises(Exception, match="already has a payment"):
        actions.perform(
            actor=maker, name="book_missing_payment", target=funded_wallet,
            raw={"paystack_reference": reference}, reason="again",
        )  # fmt: skip


def test_reconciling_a_period_waits_for_a_second_person_and_checks_dates(make_staff):
    from wallet.exceptions import InvalidAmount

    maker = make_staff("Finance")
    with pytest.raises(InvalidAmount):
        actions.perform(
            actor=maker, name="reconcile_period", target=None,
            raw={"date_from": "31/12/2026", "date_to": "01/12/2026"}, reason="x",
        )  # fmt: skip
    assert last_audit().outcome == "refused"
    outcome = actions.perform(
        actor=maker, name="reconcile_period", target=None,
        raw={"date_from": "01/11/2026", "date_to": "03/11/2026"}, reason="Bank says Nov 1-3",
    )  # fmt: skip
    assert outcome.approval.params == {"date_from": "2026-11-01", "date_to": "2026-11-03"}


def test_a_refused_webhook_is_acknowledged_with_a_note_and_leaves_the_count(make_staff):
    event = WebhookEvent.objects.create(
        event_key="charge.success:x:success", event="charge.success",
        status=WebhookEvent.Status.REFUSED, reference="nope", last_error="No payment",
    )  # fmt: skip
    ops, checker = make_staff("Operations"), make_staff("Finance")
    again = actions.perform(
        actor=ops, name="reprocess_webhook", target=event, raw={}, reason="try"
    )
    assert "still refused" in again.message and "No money moved" in again.message
    assert last_audit().outcome == "done"
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.REFUSED  # still counted until acknowledged
    request = actions.perform(
        actor=ops, name="acknowledge_webhook", target=event, raw={}, reason="Test event from us"
    ).approval
    approvals.approve(request=request, checker=checker, note="ok")
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.ACKNOWLEDGED


def test_a_staff_note_is_append_only_audited_and_kept_from_the_customer(user, make_staff, client):
    support = make_staff("Support")
    actions.perform(
        actor=support, name="add_customer_note", target=user,
        raw={"note": "Called about a missing deposit"}, reason="Phone call",
    )  # fmt: skip
    note = CustomerNote.objects.get(customer=user)
    assert last_audit().action == "add_customer_note" and last_audit().outcome == "done"
    with pytest.raises(Exception):
        note.save()
    client.force_login(user)
    for page in ("/wallet/", "/wallet/history/"):
        response = client.get(page, follow=True)
        assert "missing deposit" not in response.content.decode()


def test_each_alert_threshold(funded_wallet, settings):
    now = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)  # 00:30 in Lagos: past midnight
    charge = Transaction.objects.create(
        wallet=funded_wallet, reference="dep-old", transaction_type="deposit", direction="credit",
        status="pending", channel="card", amount=Decimal("100"), currency="NGN",
    )  # fmt: skip
    Transaction.objects.filter(pk=charge.pk).update(created_at=now - dt.timedelta(minutes=59))
    assert not alerts.current_alerts(now)
    Transaction.objects.filter(pk=charge.pk).update(created_at=now - dt.timedelta(minutes=61))
    assert [a.key for a in alerts.current_alerts(now)] == ["charge:dep-old"]
    payout = Transaction.objects.create(
        wallet=funded_wallet, reference="wd-old", transaction_type="withdrawal",
        direction="debit", status="processing", channel="bank", amount=Decimal("100"),
        currency="NGN",
    )  # fmt: skip
    Transaction.objects.filter(pk=payout.pk).update(created_at=now - dt.timedelta(minutes=29))
    assert "payout:wd-old" not in {a.key for a in alerts.current_alerts(now)}
    Transaction.objects.filter(pk=payout.pk).update(created_at=now - dt.timedelta(minutes=31))
    assert "payout:wd-old" in {a.key for a in alerts.current_alerts(now)}
    settings.BACKOFFICE_ALERT_WEBHOOKS_PER_HOUR = 1
    for n in range(2):
        WebhookEvent.objects.create(event_key=f"k{n}", status="failed", event="charge.success")
    assert "webhooks:rate" in {a.key for a in alerts.current_alerts()}
    from wallet.models import LedgerCheck

    LedgerCheck.objects.create(ok=False, report={})
    assert any(a.kind == "ledger" for a in alerts.current_alerts())


def test_the_digest_is_sent_once_until_the_alerts_change(funded_wallet, settings):
    settings.OPS_ALERT_EMAILS = ["ops@example.com"]
    now = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)
    charge = Transaction.objects.create(
        wallet=funded_wallet, reference="dep-stuck", transaction_type="deposit",
        direction="credit", status="pending", channel="card", amount=Decimal("100"),
        currency="NGN",
    )  # fmt: skip
    Transaction.objects.filter(pk=charge.pk).update(created_at=now - dt.timedelta(hours=2))
    assert alerts.send_digest_if_changed(now) == 1
    assert alerts.send_digest_if_changed(now) == 0
    assert alerts.send_digest_if_changed(now + dt.timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1 and "dep-stuck" in mail.outbox[0].body
    assert mail.outbox[0].to == ["ops@example.com"]
    assert AlertDigest.objects.count() == 1


def test_the_dashboard_answers_in_under_a_second_while_paystack_hangs(
    staff_client_for, sandbox, funded_wallet
):
    from wallet.services.backoffice.dashboard import refresh_paystack_balance

    refresh_paystack_balance()
    sandbox.fault("/balance", "hang", seconds=20, times=None)
    finance = staff_client_for("Finance")
    started = time.monotonic()
    page = finance.get("/admin/")
    took = time.monotonic() - started
    sandbox.clear_faults()
    html = page.content.decode()
    assert page.status_code == 200 and took < 1.0
    assert "Paystack says:" in html and "fetched" in html and "ago" in html


def test_each_role_sees_only_figures_whose_list_it_may_open(staff_client_for):
    support = staff_client_for("Support").get("/admin/").content.decode()
    assert "/admin/wallet/webhookevent/" not in support.split("app-list")[0]
    assert "/admin/wallet/ledgercheck/" not in support.split("app-list")[0]
    operations = staff_client_for("Operations").get("/admin/").content.decode()
    head = operations.split("app-list")[0]
    assert "/admin/wallet/payout/" not in head and "/admin/wallet/wallet/" not in head


def test_alerts_render_with_a_rule_that_beats_the_link_colour():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static/backoffice/backoffice.css").read_text()
    assert "a.bo-bad:link" in css and "a.bo-bad:visited" in css


def test_audit_csv_honours_the_search_and_the_dates(make_staff, staff_client_for, user):
    support = make_staff("Support")
    for n in range(3):
        actions.perform(
            actor=support, name="add_customer_note", target=user, raw={"note": f"n{n}"},
            reason=f"needle {n}" if n else "other",
        )  # fmt: skip
    finance = staff_client_for("Finance")
    body = b"".join(finance.get("/admin/audit.csv", {"q": "needle"}).streaming_content).decode()
    assert body.count("needle") == 2 and "other" not in body
    year = AuditEntry.objects.first().created_at.year
    dated = finance.get("/admin/audit.csv", {"created_at__year": str(year - 1)})
    assert len(b"".join(dated.streaming_content).decode().strip().splitlines()) == 1


def test_any_list_exports_as_shown_formula_safe_and_audited(
    staff_client_for, funded_wallet, other_wallet, transfer
):
    sent = transfer("10.00")
    WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("11.00"),
        description="=HYPERLINK(evil)",
    )  # fmt: skip
    finance = staff_client_for("Finance")
    response = finance.get("/admin/export/wallet/transaction.csv", {"q": sent.reference[-8:]})
    body = b"".join(response.streaming_content).decode()
    assert sent.reference in body and "₦10.00" in body
    assert len(body.strip().splitlines()) == 3  # header, the debit row and its "-in" row
    assert last_audit().action == "export_csv"


def test_the_timeline_shows_paystack_calls_webhooks_and_staff_actions(
    funded_wallet, add_account, staff_client_for, sandbox, make_staff
):
    account = add_account(funded_wallet)
    tx, _ = WalletService().withdraw_to_bank(funded_wallet, Decimal("300"), account)
    support = make_staff("Support")
    actions.perform(
        actor=support, name="lock_wallet", target=funded_wallet, raw={}, reason="Caller fraud"
    )
    finance = staff_client_for("Finance")
    html = finance.get(f"/admin/timeline/{tx.pk}/").content.decode()
    assert "Created: Withdrawal of ₦300.00" in html and "Paystack POST /transfer" in html
    assert "Caller fraud" in html and "WAT" in html and "What the customer sees" in html


def test_a_payout_that_got_a_500_then_reached_its_otp_has_one_status(
    funded_wallet, add_account, sandbox
):
    from wallet.models import Payout

    account = add_account(funded_wallet)
    sandbox.configure(transfer_otp=True)
    sandbox.fault("/transfer", "500", method="POST")
    tx, _ = WalletService().withdraw_to_bank(funded_wallet, Decimal("300"), account)
    payout = Payout.objects.get(transaction=tx)
    assert payout.last_error  # inconclusive: Paystack answered 500
    WalletService().reconcile_payout(payout)  # unknown to Paystack: sent again, reaches OTP
    payout.refresh_from_db()
    assert payout.transaction.status == "otp" and payout.last_error == ""


def test_verify_payout_says_so_and_is_audited_as_refused_when_paystack_fails(
    funded_wallet, add_account, sandbox, make_staff
):
    from wallet.exceptions import PaystackUnavailable

    tx, _ = WalletService().withdraw_to_bank(
        funded_wallet, Decimal("300"), add_account(funded_wallet)
    )
    sandbox.fault("/transfer/verify", "500", times=None)
    with pytest.raises(PaystackUnavailable, match="did not answer"):
        actions.perform(
            actor=make_staff("Finance"), name="verify_payout", target=tx.payout, raw={},
            reason="Customer asks where the money is",
        )  # fmt: skip
    sandbox.clear_faults()
    entry = last_audit()
    assert entry.outcome == "refused" and "not known" in entry.detail


def test_bulk_reprocess_is_one_confirmation_and_one_audit_entry_per_row(
    staff_client_for, make_staff
):
    events = [
        WebhookEvent.objects.create(
            event_key=f"charge.success:bulk{n}:success",
            event="charge.success",
            status=WebhookEvent.Status.FAILED,
            reference=f"bulk{n}",
            payload={"event": "charge.success", "data": {"reference": f"bulk{n}"}},
        )  # fmt: skip
        for n in range(3)
    ]
    ops = staff_client_for("Operations")
    ids = ",".join(str(e.pk) for e in events)
    confirm = ops.get(f"/admin/do-many/reprocess_webhook/?ids={ids}")
    assert confirm.status_code == 200 and b"3 rows" in confirm.content
    no_reason = ops.post("/admin/do-many/reprocess_webhook/", {"ids": ids, "reason": " "})
    assert no_reason.status_code == 422 and not AuditEntry.objects.exists()
    done = ops.post("/admin/do-many/reprocess_webhook/", {"ids": ids, "reason": "Outage over"})
    assert done.status_code == 200
    entries = AuditEntry.objects.filter(action="reprocess_webhook")
    assert sorted(int(e.target_id) for e in entries) == sorted(e.pk for e in events)
    assert {e.reason for e in entries} == {"Outage over"}
    assert ops.get("/admin/do-many/reprocess_webhook/?ids=1,x").status_code == 404
    support = staff_client_for("Support")  # the same test client, now signed in as Support
    assert support.get(f"/admin/do-many/reprocess_webhook/?ids={ids}").status_code == 403


def test_the_customer_page_is_complete_and_every_page_links_to_it(
    caller, funded_wallet, transfer, other_wallet, staff_client_for, make_staff
):
    sent = transfer("250.00")
    actions.perform(
        actor=make_staff("Support"), name="add_customer_note", target=caller,
        raw={"note": "Prefers calls after 6 p.m."}, reason="Call",
    )  # fmt: skip
    support = staff_client_for("Support")
    html = support.get(f"/admin/customer/{caller.pk}/").content.decode()
    for text in (
        "+2348030000001", "limits, safety mode and cooling-off", "₦250.00",
        "Dedicated account", "Devices", "API tokens", "Last logins and sessions",
        "Prefers calls after 6 p.m.", f"/admin/timeline/{sent.pk}/", "Add a staff note",
        f"wallet__id__exact={funded_wallet.pk}",
    ):  # fmt: skip
        assert text in html, text
    customer_url = f"/admin/customer/{caller.pk}/"
    for page in (
        f"/admin/accounts/user/{caller.pk}/change/",
        f"/admin/wallet/wallet/{funded_wallet.pk}/change/",
        f"/admin/wallet/transaction/{sent.pk}/change/",
    ):
        assert customer_url in support.get(page).content.decode(), page
    listing = support.get(f"/admin/wallet/transaction/?wallet__id__exact={funded_wallet.pk}")
    assert listing.status_code == 200 and sent.reference in listing.content.decode()


def test_the_customer_page_shows_cooling_off_and_a_frozen_wallet(
    funded_wallet, staff_client_for, settings
):
    from django.utils import timezone

    from wallet.models import Wallet

    Wallet.objects.filter(pk=funded_wallet.pk).update(
        safety_until=timezone.now() + dt.timedelta(hours=20),
        safety_reason="cooling_off",
        outflows_frozen_at=timezone.now(),
    )
    page = staff_client_for("Support").get(f"/admin/customer/{funded_wallet.user_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Cooling-off (sign-in details changed) until" in text
    assert "Frozen by the customer since" in text
