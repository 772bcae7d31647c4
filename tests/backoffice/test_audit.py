"""The audit log is append-only, searchable, exported as CSV and shown on the customer page;
configuration changes are versioned (who changed the fee, and from what)."""

import csv
import io
from decimal import Decimal

import pytest

from wallet.exceptions import WalletError
from wallet.models import AuditEntry, FeeRule
from wallet.services.backoffice import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(make_staff, funded_wallet):
    actions.perform(
        actor=make_staff("Support"), name="lock_wallet", target=funded_wallet,
        raw={}, reason='=HYPERLINK("http://evil")', ip_address="10.0.0.7",
    )  # fmt: skip
    return AuditEntry.objects.get()


def test_audit_entries_refuse_update_and_delete(locked):
    with pytest.raises(WalletError):
        locked.save()
    with pytest.raises(WalletError):
        locked.delete()
    with pytest.raises(WalletError):
        AuditEntry.objects.filter(pk=locked.pk).update(reason="rewritten")
    with pytest.raises(WalletError):
        AuditEntry.objects.all().delete()


def test_the_audit_log_exports_as_csv_with_formulas_defused(locked, staff_client_for):
    auditor = staff_client_for("Auditor")
    response = auditor.get("/admin/audit.csv?action__exact=lock_wallet")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["created_at", "actor", "action", "outcome"]
    assert len(rows) == 2 and rows[1][2] == "lock_wallet" and rows[1][14] == "10.0.0.7"
    assert rows[1][8].startswith("'=")  # a spreadsheet shows it, never runs it
    assert "Export CSV" in auditor.get("/admin/wallet/auditentry/").content.decode()


def test_the_customer_page_shows_the_audit_entries_about_them_in_few_queries(
    locked, staff_client_for, funded_wallet, django_assert_max_num_queries
):
    finance = staff_client_for("Finance")
    with django_assert_max_num_queries(40):
        page = finance.get(f"/admin/customer/{funded_wallet.user.pk}/")
    html = page.content.decode()
    assert "lock_wallet" in html and "₦10,000.00" in html and "Locked" in html
    assert "Unlock wallet…" not in html  # Finance does not lock or unlock
    searched = finance.get("/admin/wallet/auditentry/?q=HYPERLINK").content.decode()
    assert "lock_wallet" in searched


def test_who_changed_a_fee_and_from_what(superuser_client, staff_client_for):
    # Made here: a transactional test elsewhere may have flushed the migration's rules.
    rule = FeeRule.objects.create(
        transaction_type="withdrawal", min_amount="1000000.00", flat="75.00"
    )
    before = Decimal(rule.flat)
    finance = staff_client_for("Finance")
    form = {
        "transaction_type": rule.transaction_type, "min_amount": rule.min_amount,
        "max_amount": rule.max_amount or "", "flat": "99.00", "percentage": rule.percentage,
        "minimum": rule.minimum, "cap": rule.cap or "", "bearer": rule.bearer,
        "is_active": "yes", "reason": "New price list",
    }  # fmt: skip
    assert finance.post(f"/admin/do/edit_fee_rule/{rule.pk}/", form).status_code == 302
    latest, previous = rule.history.all()[:2]
    assert latest.flat == Decimal("99.00") and previous.flat == before
    assert latest.history_user.groups.filter(name="Finance").exists()
    auditor = staff_client_for("Auditor")
    assert auditor.get(f"/admin/wallet/feerule/{rule.pk}/history/").status_code == 200
