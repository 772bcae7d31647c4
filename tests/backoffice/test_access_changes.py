"""Access changes need two people (issue 19): a request by one person, approved by a second who
holds `approve_access_change`; nobody approves a change to their own access; the approval grants
exactly what was asked; both steps are audited with the values before and after."""

import pytest
from django.contrib.auth.models import Group

from wallet.exceptions import ActionNotAllowed
from wallet.models import ApprovalRequest, AuditEntry
from wallet.services.backoffice import actions, approvals

pytestmark = pytest.mark.django_db

FINANCE_ONLY = {"roles": "Finance", "is_staff": "yes", "is_superuser": "no", "is_active": "yes"}


def request_access(maker, user, **raw):
    return actions.perform(
        actor=maker, name="change_staff_access", target=user,
        raw={**FINANCE_ONLY, **raw}, reason="Moved to the finance team",
    ).approval  # fmt: skip


def roles(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_a_request_moves_nothing_until_a_second_person_approves_exactly_it(make_staff):
    maker, checker = make_staff("Access approver"), make_staff("Access approver")
    support = make_staff("Support")
    request = request_access(maker, support)
    support.refresh_from_db()
    assert request.status == "pending" and roles(support) == ["Support"]
    requested = AuditEntry.objects.get(outcome="requested")
    assert requested.actor == maker and requested.target_id == str(support.pk)

    approvals.approve(request=request, checker=checker, note="HR ticket checked")

    support.refresh_from_db()
    assert roles(support) == ["Finance"] and support.is_staff and not support.is_superuser
    done = AuditEntry.objects.get(outcome="approved")
    assert done.actor == checker and done.before["roles"] == "Support"
    assert done.after["roles"] == "Finance" and done.after["is_superuser"] is False


def test_the_maker_cannot_approve_their_own_request(make_staff):
    maker = make_staff("Access approver")
    request = request_access(maker, make_staff("Support"))
    with pytest.raises(ActionNotAllowed, match="second person"):
        approvals.approve(request=request, checker=maker, note="mine")
    assert AuditEntry.objects.filter(outcome="refused", actor=maker).exists()


def test_nobody_approves_a_change_to_their_own_access(make_staff):
    maker, approver = make_staff("Access approver"), make_staff("Access approver")
    request = request_access(maker, approver, roles="Access approver, Finance", is_superuser="yes")
    with pytest.raises(ActionNotAllowed, match="your own access"):
        approvals.approve(request=request, checker=approver, note="fine by me")
    approver.refresh_from_db()
    assert roles(approver) == ["Access approver"] and not approver.is_superuser
    refused = AuditEntry.objects.get(outcome="refused")
    assert refused.actor == approver and "own access" in refused.detail


def test_no_member_of_a_role_approves_a_change_to_that_role(make_staff):
    from django.contrib.auth.models import Permission

    maker, member = make_staff("Access approver"), make_staff("Access approver")
    role = Group.objects.get(name="Access approver")
    had = set(role.permissions.all())
    request = actions.perform(
        actor=maker, name="change_role_permissions", target=role,
        raw={"grant": "wallet.adjust_balance", "revoke": ""}, reason="more power",
    ).approval  # fmt: skip
    with pytest.raises(ActionNotAllowed, match="your own access"):
        approvals.approve(request=request, checker=member, note="ok")
    assert set(role.permissions.all()) == had

    outsider = make_staff(superuser=True)
    approvals.approve(request=request, checker=outsider, note="agreed with the CFO")
    added = Permission.objects.get(codename="adjust_balance")
    assert set(role.permissions.all()) == had | {added}  # exactly what was asked


def test_a_finance_checker_may_not_approve_an_access_change(make_staff):
    request = request_access(make_staff("Access approver"), make_staff("Support"))
    with pytest.raises(ActionNotAllowed, match="does not allow"):
        approvals.approve(request=request, checker=make_staff("Finance"), note="sure")
    assert ApprovalRequest.objects.get().status == "pending"


@pytest.mark.parametrize("role", ["Support", "Finance", "Operations", "Auditor"])
def test_no_daily_role_may_even_request_an_access_change(role, staff_client_for, make_staff):
    client = staff_client_for(role)
    target = make_staff("Support")
    response = client.post(
        f"/admin/do/change_staff_access/{target.pk}/", {**FINANCE_ONLY, "reason": "promote me"}
    )
    assert response.status_code == 403 and not ApprovalRequest.objects.exists()
    assert AuditEntry.objects.get().outcome == "refused"


def test_the_request_page_shows_the_access_before_and_the_checker_sees_what_is_asked(
    staff_client_for, make_staff
):
    support = make_staff("Support")
    maker = staff_client_for("Access approver")
    page = maker.get(f"/admin/do/change_staff_access/{support.pk}/").content.decode()
    assert "Before: Support" in page and "Superuser (every permission)" in page
    maker.post(
        f"/admin/do/change_staff_access/{support.pk}/", {**FINANCE_ONLY, "reason": "new team"}
    )
    request = ApprovalRequest.objects.get()
    checker = staff_client_for("Access approver")
    shown = checker.get(f"/admin/requests/{request.pk}/").content.decode()
    assert "roles: [&#x27;Finance&#x27;]" in shown and "is_superuser: False" in shown
