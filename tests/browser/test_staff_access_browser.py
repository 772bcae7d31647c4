"""Access changes by two people, in real Chromium (issue 19): one Access approver asks for a
Support user to move to Finance on the confirmation page (the access before is shown), and a
second one approves it on the request's page; the first cannot approve their own request."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_backoffice_browser import staff_log_in
from wallet.models import ApprovalRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_access_change_is_asked_by_one_person_and_approved_by_another(
    page, live_server, make_staff
):
    support = make_staff("Support", email="sade@example.com")
    maker, checker = make_staff("Access approver"), make_staff("Access approver")

    staff_log_in(page, live_server, maker, f"/admin/do/change_staff_access/{support.pk}/")
    expect(page.get_by_text("Before: Support")).to_be_visible()
    page.get_by_label(re.compile("^Roles")).fill("Finance")
    page.get_by_label("Reason (kept in the audit log)").fill("Moved to the finance team")
    page.get_by_role("button", name="Confirm: Change staff access").click()
    expect(page.locator(".messagelist")).to_contain_text("Request created")
    request = ApprovalRequest.objects.get()
    page.goto(f"{live_server.url}/admin/requests/{request.pk}/")
    page.get_by_label("Note (kept in the audit log)").fill("my own request")
    page.get_by_role("button", name="Approve and run").click()
    expect(page.get_by_role("alert")).to_contain_text("second person")

    page.context.clear_cookies()
    staff_log_in(page, live_server, checker, "/admin/wallet/approvalrequest/")
    page.get_by_role("link", name="Approve or reject…").click()
    expect(page.get_by_text("sade@example.com").first).to_be_visible()
    page.get_by_label("Note (kept in the audit log)").fill("HR ticket checked")
    page.get_by_role("button", name="Approve and run").click()
    expect(page.locator(".messagelist")).to_contain_text("now has")
    assert list(support.groups.values_list("name", flat=True)) == ["Finance"]
