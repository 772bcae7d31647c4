"""Support resends a customer's e-mails; Finance edits a KYC tier's limits. Each through its
confirmation page with a reason, audited, moving no money."""

from decimal import Decimal

import pytest

from tests.backoffice.conftest import last_audit
from tests.payouts.conftest import FAILS
from tests.wallet.money import balances
from wallet.exceptions import LimitExceeded
from wallet.models import AuditEntry, KycTier, KycTierVersion, LedgerEntry, Payout
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db

LIMITS = {"allows_transfer": "on", "allows_withdrawal": "on", "allows_settlement": "on"}


def edit_tier(client, level, **fields):
    return client.post(f"/admin/do/change_tier_limits/{level}/", {**LIMITS, **fields})


def test_support_resends_the_verification_e_mail_with_a_reason(
    staff_client_for, make_user, mailoutbox
):
    customer = make_user(email="new.customer@example.com", verified=False)
    support = staff_client_for("Support")
    url = f"/admin/do/resend_verification_email/{customer.pk}/"

    page = support.get(url)
    assert page.status_code == 200 and b"Resend verification e-mail" in page.content
    customer_page = support.get(f"/admin/customer/{customer.pk}/")
    assert f'href="{url}"'.encode() in customer_page.content
    mailoutbox.clear()  # staff sign-in mails, if any
    without_reason = support.post(url, {"reason": ""})
    sent = support.post(url, {"reason": "Customer says the first link never came"})

    assert without_reason.status_code == 422
    assert sent.status_code == 302
    assert [m.to for m in mailoutbox] == [["new.customer@example.com"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    entry = last_audit()
    assert (entry.action, entry.outcome, entry.customer) == (
        "resend_verification_email", "done", customer,
    )  # fmt: skip
    assert entry.reason == "Customer says the first link never came"
    assert not LedgerEntry.objects.exists()


def test_a_verified_customer_is_not_offered_a_verification_e_mail(
    staff_client_for, user, mailoutbox
):
    support = staff_client_for("Support")
    url = f"/admin/do/resend_verification_email/{user.pk}/"
    mailoutbox.clear()

    assert support.get(url).status_code == 409
    assert support.post(url, {"reason": "try"}).status_code == 409
    assert not mailoutbox
    customer_page = support.get(f"/admin/customer/{user.pk}/")
    assert customer_page.status_code == 200
    assert b'href="/admin/do/resend_verification_email/' not in customer_page.content


def test_support_resends_the_e_mail_about_a_failed_settlement(
    staff_client_for, funded_wallet, add_account, sandbox, mailoutbox
):
    from wallet.services.settlement_service import SettlementService

    SettlementService().create_settlement(
        wallet=funded_wallet, bank_account=add_account(funded_wallet, FAILS), amount="1000"
    )
    sandbox.settle()
    payout = Payout.objects.get()
    WalletService().reconcile_payout(payout)  # Paystack says failed (no webhook in this test)
    assert payout.transaction.status == "failed"
    support = staff_client_for("Support")
    before = balances(funded_wallet)
    mailoutbox.clear()

    sent = support.post(f"/admin/do/resend_payout_email/{payout.pk}/", {"reason": "Asked again"})

    assert sent.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [funded_wallet.user.email]
    assert "auto-withdraw" in mailoutbox[0].subject.lower()  # a settlement, in customer words
    assert balances(funded_wallet) == before
    assert last_audit().action == "resend_payout_email"


def test_a_payout_still_in_flight_has_no_e_mail_to_resend(
    staff_client_for, funded_wallet, add_account, sandbox, mailoutbox
):
    sandbox.configure(settle_delay=3600)
    WalletService().withdraw_to_bank(
        wallet=funded_wallet, bank_account=add_account(funded_wallet), amount=Decimal("500")
    )
    payout = Payout.objects.get()
    mailoutbox.clear()

    response = staff_client_for("Support").post(
        f"/admin/do/resend_payout_email/{payout.pk}/", {"reason": "x"}
    )

    assert response.status_code == 409 and not mailoutbox


def test_finance_edits_a_tiers_limits_and_they_apply_at_once(
    staff_client_for, funded_wallet, other_wallet
):
    finance = staff_client_for("Finance")
    page = finance.get("/admin/do/change_tier_limits/1/")
    assert page.status_code == 200
    assert b'value="50000.00"' in page.content  # today's daily limit, filled in

    saved = edit_tier(
        finance, 1, daily_limit="20,000", single_limit="1,000", balance_cap="",
        reason="Board decision 2026-12",
    )  # fmt: skip

    assert saved.status_code == 302
    tier = KycTier.objects.get(level=1)
    assert (tier.daily_limit, tier.single_limit, tier.balance_cap, tier.version) == (
        Decimal("20000.00"), Decimal("1000.00"), None, 2,
    )  # fmt: skip
    version = KycTierVersion.objects.get(tier=tier, version=2)
    assert version.reason == "Board decision 2026-12" and version.changed_by.is_staff
    entry = last_audit()
    assert (entry.action, entry.outcome) == ("change_tier_limits", "done")
    assert (entry.before["single_limit"], entry.after["single_limit"]) == ("50000.00", "1000.00")
    assert (entry.before["version"], entry.after["version"]) == (1, 2)
    history = tier.history.order_by("history_date")
    assert [h.single_limit for h in history] == [Decimal("50000.00"), Decimal("1000.00")]
    assert history.last().history_user.is_staff
    assert history.last().history_change_reason == "Board decision 2026-12"
    assert finance.get("/admin/wallet/kyctier/1/history/").status_code == 200
    with pytest.raises(LimitExceeded):
        WalletService().transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("1500")
        )
    assert balances(funded_wallet) == [Decimal("10000.00")]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"daily_limit": "٥٠٠٠٠"}, b"The daily limit"),  # Arabic-Indic digits
        ({"single_limit": "-5"}, b"greater than zero"),
        ({"balance_cap": "1e9"}, b"balance cap"),
        ({"daily_limit": "10,00"}, b"point for kobo"),
        ({"daily_limit": "1000", "single_limit": "2000"}, b"cannot be above the daily limit"),
        ({"daily_limit": "50000", "single_limit": "50000", "balance_cap": "300000"},
         b"Nothing changed"),
    ],
)  # fmt: skip
def test_a_bad_or_empty_tier_edit_is_refused_and_changes_nothing(staff_client_for, fields, message):
    finance = staff_client_for("Finance")
    values = {"daily_limit": "50000", "single_limit": "50000", "balance_cap": "300000", **fields}

    response = edit_tier(finance, 1, reason="testing", **values)

    assert response.status_code == 422 and message in response.content
    assert KycTier.objects.get(level=1).version == 1
    assert not KycTierVersion.objects.filter(version=2).exists()
    assert last_audit().outcome == "refused"


def test_a_nul_byte_in_a_limit_is_refused_before_the_action_runs(staff_client_for):
    response = edit_tier(staff_client_for("Finance"), 1, daily_limit="40000\x00", reason="x")

    assert response.status_code == 400
    assert KycTier.objects.get(level=1).version == 1
    assert not AuditEntry.objects.filter(action="change_tier_limits").exists()


def test_support_and_the_auditor_may_not_edit_a_tier(staff_client_for):
    for role in ("Support", "Auditor"):
        client = staff_client_for(role)
        response = edit_tier(client, 1, daily_limit="1", reason="x")
        assert response.status_code == 403, role
    assert KycTier.objects.get(level=1).version == 1
    assert not AuditEntry.objects.filter(outcome="done").exists()


def test_the_tier_list_reads_in_naira_and_offers_the_edit_to_finance_only(staff_client_for):
    finance = staff_client_for("Finance").get("/admin/wallet/kyctier/")
    auditor_page = staff_client_for("Auditor").get("/admin/wallet/kyctier/1/change/")
    finance_page = staff_client_for("Finance").get("/admin/wallet/kyctier/1/change/")

    assert "₦50,000.00" in finance.content.decode() and "No limit" in finance.content.decode()
    assert b"Edit tier limits" in finance_page.content
    assert auditor_page.status_code == 200 and b"Edit tier limits" not in auditor_page.content


@pytest.fixture
def nin_review(funded_wallet):
    from wallet.services.outflows.identification import request_nin_review

    return request_nin_review(wallet=funded_wallet, nin="12345678901")


def test_finance_approves_a_nin_review_and_the_wallet_moves_to_tier_3(
    staff_client_for, funded_wallet, nin_review
):
    from wallet.models import TierChange

    finance = staff_client_for("Finance")
    listing = finance.get("/admin/wallet/customeridentification/")
    assert listing.status_code == 200 and b"8901" in listing.content
    url = f"/admin/do/approve_identification/{nin_review.pk}/"

    approved = finance.post(url, {"reason": "NIN matches the ID card"})
    again = finance.post(url, {"reason": "twice"})

    assert approved.status_code == 302 and again.status_code == 409
    nin_review.refresh_from_db()
    funded_wallet.refresh_from_db()
    assert (nin_review.status, funded_wallet.tier) == ("success", 3)
    change = TierChange.objects.get(wallet=funded_wallet)
    assert (change.to_level, change.reason) == (3, "NIN matches the ID card")
    entry = AuditEntry.objects.get(action="approve_identification", outcome="done")
    assert entry.customer == funded_wallet.user
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_finance_refuses_a_nin_review_with_a_reason_and_the_tier_stays(
    staff_client_for, funded_wallet, nin_review
):
    url = f"/admin/do/refuse_identification/{nin_review.pk}/"
    support = staff_client_for("Support")  # one test client: log in as each role in turn
    assert support.post(url, {"reason": "not mine to decide"}).status_code == 403
    finance = staff_client_for("Finance")
    assert finance.post(url, {"reason": ""}).status_code == 422
    refused = finance.post(url, {"reason": "The name on the NIN is someone else's"})

    assert refused.status_code == 302
    nin_review.refresh_from_db()
    funded_wallet.refresh_from_db()
    assert nin_review.status == "failed"
    assert nin_review.reason == "The name on the NIN is someone else's"
    assert funded_wallet.tier == 1
