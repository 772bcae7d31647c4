"""One door for staff writes (issue 19): every back-office URL, generated from the URL tree
(history, revert, add, change, delete, autocomplete, action and approval pages and whatever a
third-party integration adds), tried with GET and with a plausible POST, as each role, the
superuser, a customer and a visitor. A snapshot of every table before and after each request
shows that nothing changed except through a StaffAction the person may take, and audited.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from tests.backoffice.test_permissions import rows  # noqa: F401  (one row per action)
from tests.backoffice.walk import back_office_urls, plausible_form, snapshot, table_names
from tests.fixtures.backoffice import signed_in_with_totp
from wallet.models import AuditEntry, FeeRule
from wallet.services.backoffice import actions
from wallet.services.backoffice.catalogue import ACTIONS

pytestmark = pytest.mark.django_db

PERSONAS = ["Support", "Finance", "Operations", "Auditor", "superuser", "customer", "visitor"]
AUDIT_TABLE = AuditEntry._meta.db_table
# What an allowed action leaves behind in the audit log (a refusal changes nothing else).
ACTED = {"done", "requested", "approved", "rejected"}


@pytest.fixture
def world(rows, make_staff, make_user, card_deposit):  # noqa: F811
    maker = make_staff("Finance")
    request = actions.perform(
        actor=maker, name="adjust_balance", target=rows["adjust_balance"], raw={
            "direction": "credit", "amount": "5.00", "account": "platform"},
        reason="a pending request to walk the decision page with",
    ).approval  # fmt: skip
    from django.contrib.auth.models import Group

    from wallet.models import SettlementSchedule

    targets = {
        **rows,
        "edit_fee_rule": FeeRule.objects.order_by("pk").first(),
        "edit_schedule": SettlementSchedule.objects.order_by("pk").first(),
        "create_schedule": rows["adjust_balance"],
        "change_staff_access": make_staff("Support"),
        "change_role_permissions": Group.objects.get(name="Support"),
        **dispute_and_case(card_deposit),
    }
    return {
        "targets": targets,
        "approval": request,
        "customer": rows["deactivate_customer"],
        "content_type_id": ContentType.objects.get_for_model(FeeRule).pk,
    }


def dispute_and_case(card_deposit) -> dict:
    """An open card-payment dispute and an open support case, for their actions' pages."""
    from wallet.services.disputes.money import open_dispute
    from wallet.services.support import report_problem

    deposit = card_deposit("700.00")
    now = timezone.now()
    dispute = open_dispute(
        paystack_id=990001, deposit=deposit, amount=Decimal("700.00"), opened_at=now,
        due_at=now + timedelta(days=7),
    )  # fmt: skip
    case = report_problem(
        user=deposit.wallet.user, transaction=deposit, words="I did not make this payment"
    )
    dispute_actions = ("upload_dispute_file", "send_dispute_evidence", "accept_dispute",
                       "decline_dispute")  # fmt: skip
    return {
        **{name: dispute for name in dispute_actions},
        "answer_support_case": case,
        "close_support_case": case,
    }


def persona_client(persona, make_staff, make_user):
    client = Client(raise_request_exception=False)
    if persona == "visitor":
        return client, None
    if persona == "customer":
        user = make_user(email="walker@example.com")
    else:
        user = make_staff(None if persona == "superuser" else persona,
                          superuser=persona == "superuser")  # fmt: skip
    client.force_login(user)
    if user.is_staff:
        signed_in_with_totp(client, user)
    return client, user


def allowed(entry, user) -> bool:
    """An audit entry of an action this user may take (or a request they may decide)."""
    if entry.actor_id != user.pk or entry.outcome not in ACTED:
        return False
    if entry.outcome in ("approved", "rejected"):
        approver = f"wallet.{ACTIONS[entry.action].approver}"
        return user.has_perm(approver) and entry.approval.maker_id != user.pk
    return actions.may(user, ACTIONS[entry.action])


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_back_office_url_writes_only_through_an_allowed_action(
    persona, world, make_staff, make_user, sandbox
):
    client, user = persona_client(persona, make_staff, make_user)
    # Signing out last: the walk goes on as the same person until its end.
    urls = sorted(back_office_urls(world), key=lambda url: url[1] == "logout")
    tables = table_names()
    problems = []
    # Staff: a snapshot around each request. A customer or visitor is stopped at the gate
    # (the same answer to a GET): their POSTs, one snapshot around the whole walk, nothing may
    # change but refusals in the audit log.
    staff = user is not None and user.is_staff
    walk_started = snapshot(tables), AuditEntry.objects.order_by("-id").first()
    for path, name, what in urls:
        after = None
        for method in ("get", "post") if staff else ("post",):
            if staff:
                before = after or snapshot(tables)  # after the GET is before the POST
                last_audit = AuditEntry.objects.order_by("-id").first()
            form = plausible_form(what, _row(what)) if method == "post" else {}
            status = getattr(client, method)(path, form).status_code
            if not staff:
                assert status in (302, 403, 404, 405), f"{persona} {method} {path}: {status}"
                continue
            after = snapshot(tables)
            changed = {t for t in tables if before[t] != after[t]}
            new = AuditEntry.objects.filter(id__gt=getattr(last_audit, "id", 0))
            label = f"{persona} {method.upper()} {path} -> {status}"
            if status >= 500:
                problems.append(f"{label}: server error")
            if method == "get" and changed:
                problems.append(f"{label}: a GET changed {sorted(changed)}")
            elif changed - {AUDIT_TABLE} and not any(allowed(e, user) for e in new):
                problems.append(f"{label}: changed {sorted(changed)} outside an allowed action")
            elif name not in ("action", "decide") and any(e.outcome != "refused" for e in new):
                problems.append(f"{label}: an audit entry other than a refusal")
    if not staff:
        changed = {t for t in tables if walk_started[0][t] != snapshot(tables)[t]}
        new = AuditEntry.objects.filter(id__gt=getattr(walk_started[1], "id", 0))
        assert changed <= {AUDIT_TABLE} and all(e.outcome == "refused" for e in new), changed
    assert not problems, "\n".join(problems)


def _row(what):
    if isinstance(what, str) or what is None:
        return None
    return what._default_manager.order_by("pk").first()


def test_the_walk_covers_every_kind_of_page(world):
    names = {name for _, name, _ in back_office_urls(world)}
    for kind in ("history", "simple_history", "add", "change", "delete", "changelist"):
        assert any(n and n.endswith(kind) for n in names), kind
    for page in ("autocomplete", "action", "decide", "password_change", "logout"):
        assert page in names
    assert "auth_user_password_change" in names
    from tests.backoffice.walk import row_of

    walked = {what for _, name, what in back_office_urls(world) if name == "action"}
    assert set(world["targets"]) <= walked
    # An action added later is walked on any row of its model (the world may have none yet).
    assert walked == {n for n, a in ACTIONS.items() if a.model is None or row_of(a.model)}


def test_the_auditor_cannot_save_a_fee_rule_through_its_history_page(staff_client_for):
    rule = FeeRule.objects.filter(transaction_type="withdrawal").first() or FeeRule.objects.first()
    version = rule.history.order_by("-history_id").first()
    auditor = staff_client_for("Auditor")
    url = f"/admin/wallet/feerule/{rule.pk}/history/{version.history_id}/"
    form = plausible_form(FeeRule, rule)

    assert auditor.get(url).status_code == 200  # the version can be read
    refused = auditor.post(url, {**form, "flat": "777.00"})

    rule.refresh_from_db()
    assert refused.status_code == 403 and rule.flat != 777
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.action, entry.target_repr) == (
        "refused", "write_outside_door", url)  # fmt: skip


def test_the_auditor_cannot_grant_its_own_role_every_permission(
    staff_client_for, make_staff, wallet
):
    from django.contrib.auth.models import Group, Permission

    auditor_user = make_staff("Auditor")
    auditor = staff_client_for("Auditor")
    auditor.force_login(auditor_user)
    role = Group.objects.get(name="Auditor")
    had = set(role.permissions.values_list("pk", flat=True))
    role.save()  # a version to open
    version = role.history.order_by("-history_id").first()
    form = {"name": "Auditor", "permissions": list(Permission.objects.values_list("pk", flat=True))}

    auditor.post(f"/admin/auth/group/{role.pk}/history/{version.history_id}/", form)
    auditor.post(f"/admin/auth/group/{role.pk}/change/", form)
    auditor.post(f"/admin/accounts/user/{auditor_user.pk}/change/", {"is_superuser": "on"})

    assert set(role.permissions.values_list("pk", flat=True)) == had
    auditor_user.refresh_from_db()
    assert not auditor_user.is_superuser
    assert auditor.get(f"/admin/do/adjust_balance/{wallet.pk}/").status_code == 403


def test_even_the_superuser_saves_nothing_outside_an_action(superuser_client):
    rule = FeeRule.objects.first()
    response = superuser_client.post(
        f"/admin/wallet/feerule/{rule.pk}/change/", plausible_form(FeeRule, rule)
    )
    added = superuser_client.post("/admin/wallet/feerule/add/", plausible_form(FeeRule, rule))
    assert response.status_code == 403 and added.status_code == 403
    assert FeeRule.objects.filter(flat=777).count() == 0


def test_a_list_post_may_only_choose_a_staff_action_for_a_row(superuser_client):
    rule = FeeRule.objects.first()
    version = rule.history.order_by("-history_id").first()
    chosen = {"action": "edit_fee_rule", "_selected_action": [rule.pk], "index": "0"}
    picked = superuser_client.post("/admin/wallet/feerule/", chosen)
    with_save = superuser_client.post("/admin/wallet/feerule/", {**chosen, "_save": "Save"})
    history = superuser_client.post(
        f"/admin/wallet/feerule/{rule.pk}/history/{version.history_id}/",
        {**plausible_form(FeeRule, rule), **chosen},
    )
    assert picked.status_code == 302 and picked["Location"] == f"/admin/do/edit_fee_rule/{rule.pk}/"
    assert with_save.status_code == 403 and history.status_code == 403
    rule.refresh_from_db()
    assert rule.flat != 777
