"""Staff sessions (issue 19): a back-office session ends after BACKOFFICE_IDLE_MINUTES idle,
and a money request, an access change or their approval asks for a fresh TOTP code when the
last one is older than BACKOFFICE_TOTP_FRESH_MINUTES (refused and audited without one)."""

import time

import pytest

from tests.fixtures.backoffice import current_code, signed_in_with_totp
from wallet.admin.freshness import SEEN_KEY
from wallet.models import ApprovalRequest, AuditEntry

pytestmark = pytest.mark.django_db

ADJUST = {"direction": "credit", "amount": "50.00", "account": "platform", "reason": "promo"}


def test_a_back_office_session_idle_for_31_minutes_ends(client, make_staff):
    user = make_staff("Finance")
    client.force_login(user)
    session = client.session
    session[SEEN_KEY] = time.time() - 31 * 60
    session.save()

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # signed out, not just redirected once


def test_a_back_office_session_used_within_30_minutes_goes_on(client, make_staff):
    user = make_staff("Finance")
    client.force_login(user)
    session = client.session
    session[SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200


def test_a_money_request_with_a_stale_code_asks_for_a_new_one(client, make_staff, funded_wallet):
    user = make_staff("Finance")
    client.force_login(user)
    signed_in_with_totp(client, user, seconds_ago=16 * 60)
    url = f"/admin/do/adjust_balance/{funded_wallet.pk}/"

    assert b'name="totp_code"' in client.get(url).content
    refused = client.post(url, ADJUST)
    wrong = client.post(url, {**ADJUST, "totp_code": "000000"})
    assert refused.status_code == 409 and wrong.status_code == 409
    assert not ApprovalRequest.objects.exists()
    assert AuditEntry.objects.filter(outcome="refused", actor=user).count() == 2

    done = client.post(url, {**ADJUST, "totp_code": current_code()})
    assert done.status_code == 302 and ApprovalRequest.objects.count() == 1
    assert b'name="totp_code"' not in client.get(url).content  # fresh again


def test_approving_an_access_change_with_a_stale_code_is_refused(client, make_staff):
    from wallet.services.backoffice import actions

    request = actions.perform(
        actor=make_staff("Access approver"), name="change_staff_access",
        target=make_staff("Support"), reason="new team",
        raw={"roles": "Finance", "is_staff": "yes", "is_superuser": "no", "is_active": "yes"},
    ).approval  # fmt: skip
    checker = make_staff("Access approver")
    client.force_login(checker)
    signed_in_with_totp(client, checker, seconds_ago=20 * 60)

    refused = client.post(f"/admin/requests/{request.pk}/", {"decision": "approve", "note": "ok"})

    assert refused.status_code == 403 and b"authenticator" in refused.content
    request.refresh_from_db()
    assert request.status == "pending"
    assert AuditEntry.objects.get(outcome="refused").approval == request


def test_a_non_money_action_needs_no_fresh_code(client, make_staff, funded_wallet):
    user = make_staff("Support")
    client.force_login(user)
    signed_in_with_totp(client, user, seconds_ago=60 * 60)
    response = client.post(f"/admin/do/lock_wallet/{funded_wallet.pk}/", {"reason": "fraud"})
    assert response.status_code == 302
