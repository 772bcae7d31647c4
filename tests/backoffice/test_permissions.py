"""The permission matrix: every role against every back-office page and action, allowed or
403, checked on the server. Customers never reach the back office; staff without TOTP are
sent to set it up first."""

from decimal import Decimal

import pytest

from tests.payouts.conftest import FAILS
from wallet.exceptions import ActionNotAllowed
from wallet.models import (
    AuditEntry,
    KycTier,
    Payout,
    ReconciliationMismatch,
    Settlement,
    Transaction,
    WebhookEvent,
)
from wallet.services.backoffice import actions
from wallet.services.backoffice.catalogue import ACTIONS

pytestmark = pytest.mark.django_db

PAGES = {
    "dashboard": "/admin/",
    "customer page": "/admin/customer/{customer}/",
    "audit log": "/admin/wallet/auditentry/",
    "audit export": "/admin/audit.csv",
    "approval requests": "/admin/wallet/approvalrequest/",
    "OTP queue": "/admin/otp-queue/",
    "transactions": "/admin/wallet/transaction/",
    "transaction page": "/admin/wallet/transaction/{transfer}/change/",
    "wallets": "/admin/wallet/wallet/",
    "ledger entries": "/admin/wallet/ledgerentry/",
    "webhooks": "/admin/wallet/webhookevent/",
    "schedules": "/admin/wallet/settlementschedule/",
    "banks": "/admin/wallet/bank/",
    "ledger checks": "/admin/wallet/ledgercheck/",
    "fee rules": "/admin/wallet/feerule/",
    "users": "/admin/accounts/user/",
    "staff roles": "/admin/auth/group/",
    "reconciliation runs": "/admin/wallet/reconciliationrun/",
    "reconciliation mismatches": "/admin/wallet/reconciliationmismatch/",
    "KYC tiers": "/admin/wallet/kyctier/",
    "tier changes": "/admin/wallet/tierchange/",
    "identification requests": "/admin/wallet/customeridentification/",
}
CUSTOMER_PAGES = {"customer page", "transactions", "transaction page", "wallets", "users"}
ALLOWED_PAGES = {
    "Support": {"dashboard", *CUSTOMER_PAGES, "schedules"},
    "Finance": set(PAGES) - {"banks", "staff roles"},
    "Operations": {"dashboard", "webhooks", "schedules", "banks", "ledger checks"},
    "Auditor": set(PAGES) - {"OTP queue"},
    None: set(PAGES),  # the superuser
}
ALLOWED_ACTIONS = {
    "Support": {
        "lock_wallet", "unlock_wallet", "deactivate_customer", "resend_verification_email",
        "resend_payout_email",
    },
    "Finance": {
        "adjust_balance", "reverse_transfer", "refund_deposit", "reverify_charge",
        "verify_payout", "retry_payout", "enter_transfer_otp", "retry_settlement",
        "run_reconciliation", "resolve_mismatch", "override_tier", "change_tier_limits",
        "approve_identification", "refuse_identification",
    },
    "Operations": {"reprocess_webhook", "pause_schedule", "sync_banks", "run_ledger_check"},
    "Auditor": set(),
    None: set(ACTIONS),
}  # fmt: skip


@pytest.fixture
def rows(
    funded_wallet, other_wallet, transfer, card_deposit, start_charge, add_account, sandbox,
    make_user,
):  # fmt: skip
    """One row in the state each action applies to."""
    from wallet.services.settlement_service import SettlementService

    sent = transfer("100.00")
    other_wallet.lock()
    settlement = SettlementService().create_settlement(
        wallet=funded_wallet, bank_account=add_account(funded_wallet, FAILS), amount="1000"
    )
    sandbox.settle()
    schedule = SettlementService().create_settlement_schedule(
        funded_wallet, add_account(funded_wallet), "daily", time_of_day="09:00"
    )
    return {
        "lock_wallet": funded_wallet,
        "unlock_wallet": other_wallet,
        "adjust_balance": funded_wallet,
        "reverse_transfer": sent,
        "refund_deposit": card_deposit("600.00"),
        "reverify_charge": Transaction.objects.get(
            reference=start_charge(funded_wallet, "300.00")["reference"]
        ),
        "verify_payout": Payout.objects.get(),
        "retry_payout": Payout.objects.get(),
        "enter_transfer_otp": Payout.objects.get(),
        "reprocess_webhook": WebhookEvent.objects.create(
            event="charge.success", raw_body=b"{}", status=WebhookEvent.Status.FAILED
        ),
        "retry_settlement": Settlement.objects.get(pk=settlement.pk),
        "pause_schedule": schedule,
        "deactivate_customer": funded_wallet.user,
        "sync_banks": None,
        "run_ledger_check": None,
        "run_reconciliation": None,
        "override_tier": funded_wallet,
        "resolve_mismatch": open_mismatch(),
        "resend_verification_email": make_user(email="unverified@example.com", verified=False),
        "resend_payout_email": Payout.objects.get(),
        "change_tier_limits": KycTier.objects.get(level=1),
        "approve_identification": nin_review(other_wallet),
        "refuse_identification": nin_review(other_wallet),
    }


def nin_review(wallet):
    from wallet.services.outflows.identification import request_nin_review

    return wallet.identifications.filter(kind="nin").first() or request_nin_review(
        wallet=wallet, nin="12345678901"
    )


def open_mismatch():
    from wallet.services.reconciliation import create_run

    run = create_run()
    return ReconciliationMismatch.objects.create(
        record="charge", reference="T-PAYSTACK-ONLY", kind="missing_here", theirs="600.00",
        found_by_run=run, last_seen_run=run,
    )  # fmt: skip


def url_of(name, row):
    return f"/admin/do/{name}/" + (f"{row.pk}/" if row is not None else "")


@pytest.mark.parametrize("role", ["Support", "Finance", "Operations", "Auditor", None])
def test_every_role_against_every_page_and_action(
    role, staff_client_for, rows, funded_wallet, sandbox
):
    client = staff_client_for(role, superuser=role is None)
    names = {"customer": funded_wallet.user.pk, "transfer": rows["reverse_transfer"].pk}
    for page, template in PAGES.items():
        status = client.get(template.format(**names)).status_code
        expected = 200 if page in ALLOWED_PAGES[role] else 403
        assert status == expected, f"{role} {page}: {status}"
    for name, row in rows.items():
        status = client.get(url_of(name, row)).status_code
        if name in ALLOWED_ACTIONS[role]:
            # 409: allowed, but the row is not in a state the action applies to (the OTP).
            assert status in (200, 409), f"{role} {name}: {status}"
        else:
            assert status == 403, f"{role} {name}: {status}"
            refused = client.post(url_of(name, row), {"reason": "try anyway", "amount": "5"})
            assert refused.status_code == 403, f"{role} POST {name}"
    # (actor=None: the customer's own security notices, from the fixtures, are no staff action)
    assert not AuditEntry.objects.filter(outcome="done", actor__isnull=False).exists()


def test_the_service_refuses_an_action_the_role_lacks_whoever_calls_it(
    make_staff, card_deposit, wallet, sandbox
):
    deposit = card_deposit("600.00")
    with pytest.raises(ActionNotAllowed):
        actions.perform(
            actor=make_staff("Support"), name="refund_deposit", target=deposit, raw={},
            reason="I am not Finance",
        )  # fmt: skip
    assert AuditEntry.objects.get().outcome == "refused"
    from tests.wallet.money import balances

    assert balances(wallet) == [Decimal("600.00")]


def test_the_auditor_changes_nothing(staff_client_for):
    from wallet.models import FeeRule

    rule = FeeRule.objects.first()
    auditor = staff_client_for("Auditor")
    assert auditor.get(f"/admin/wallet/feerule/{rule.pk}/change/").status_code == 200
    auditor.post(f"/admin/wallet/feerule/{rule.pk}/change/", {"flat": "999"})
    rule.refresh_from_db()
    assert rule.flat != Decimal("999")


def test_customers_never_reach_the_back_office(client_logged_in):
    for url in ("/admin/", "/admin/wallet/transaction/", "/admin/do/sync_banks/"):
        assert client_logged_in.get(url).status_code == 403, url


def test_staff_without_totp_are_sent_to_set_it_up(staff_client_for):
    client = staff_client_for("Finance", totp=False)
    for url in ("/admin/", "/admin/wallet/transaction/", "/admin/do/sync_banks/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/totp/activate/"), url


def test_visitors_are_sent_to_the_sign_in_page(client):
    response = client.get("/admin/wallet/transaction/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login = client.get(response["Location"])
    assert login["Location"].startswith("/accounts/login/")
