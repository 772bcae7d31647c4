"""Every customer page pays only for what it shows: a query budget per page (issue 27).

The pages come from the URL resolver (the `wallet` and `accounts` namespaces), so a new page
fails here until it is given a budget: the cost of a page is decided when it is written, not
found later in a benchmark. Budgets are the counts measured when they were set; a page that
needs more has grown, and the change that grows it says why. Time is measured by
`bench/pages.py`, never here.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from wallet.models import Card
from wallet.services.outflows import pin
from wallet.services.outflows.account_security import freeze_token
from wallet.services.requests.operations import create_request
from wallet.services.settlement_service import SettlementService
from wallet.services.support import report_problem
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db

# Session, user and wallet are three of most counts, and the bell's unread count a fourth
# (issue 23; read once per request, memoised on the user).
BUDGETS = {
    "wallet:dashboard": 12,
    "wallet:send": 6,
    "wallet:recipient_lookup": 3,
    "wallet:history": 5,
    "wallet:transaction_detail": 5,
    "wallet:receipt_image": 4,
    "wallet:receipt_pdf": 4,
    "wallet:export_csv": 4,
    "wallet:statement": 4,
    "wallet:deposit": 6,
    "wallet:deposit_callback": 8,
    "wallet:deposit_status": 8,
    "wallet:deposit_balance": 3,
    "wallet:cards": 5,
    "wallet:dedicated_account": 5,
    "wallet:bank_accounts": 5,
    "wallet:bank_account_add": 2,
    "wallet:bank_account_lookup": 2,
    "wallet:withdraw": 7,
    "wallet:withdrawal_fee": 2,
    "wallet:withdrawal_detail": 5,
    "wallet:pin": 4,
    "wallet:pin_reset": 4,
    "wallet:limits": 10,
    "wallet:settlements": 10,
    "wallet:schedule_create": 8,
    "wallet:schedule_edit": 10,
    "accounts:profile": 6,
    "wallet:bank_send": 7,
    "wallet:bank_send_lookup": 2,
    "wallet:bank_send_detail": 5,
    "wallet:pay_link": 5,
    "wallet:pay_link_qr": 2,
    "wallet:requests": 6,
    "wallet:request_pay": 6,
    "wallet:request_qr": 4,
    "wallet:report_problem": 6,
    "wallet:support_case": 7,
    "wallet:freeze": 4,
    "wallet:notifications": 4,
    "wallet:notification_settings": 4,
}
# Pages polled every few seconds by every open dashboard: the tightest budgets of all.
LIVE_POLL_UNCHANGED = 5  # session, user, wallet, what the panel shows, the bell's count
LIVE_POLL_CHANGED = 11

# Routes that are not pages: POST-only actions (they answer 405 to a GET, checked below),
# the JSON APIs (tests/api/ counts theirs) and Paystack's webhook.
NOT_PAGES = {
    "wallet:card_charge",
    "wallet:card_remove",
    "wallet:card_default",
    "wallet:bank_account_remove",
    "wallet:bank_account_default",
    "wallet:settle_now",
    "wallet:schedule_pause",
    "wallet:schedule_resume",
    "wallet:pin_reset_request",
    "accounts:api_token_create",
    "accounts:api_token_revoke",
    "wallet:beneficiary_rename",
    "wallet:beneficiary_remove",
    "wallet:notification_open",
    "wallet:notifications_read_all",
    "wallet:pay_link_toggle",
    "wallet:request_decline",
    "wallet:request_cancel",
}


def _names(patterns, namespace):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("wallet", "accounts") and namespace is None:
                yield from _names(pattern.url_patterns, pattern.namespace)
        elif namespace and pattern.name and "/api/" not in f"/{pattern.pattern}":
            yield f"{namespace}:{pattern.name}"


def customer_routes() -> set[str]:
    names = set(_names(get_resolver().url_patterns, None))
    return {name for name in names if name != "wallet:paystack_webhook"}


def test_every_customer_route_is_a_budgeted_page_or_a_known_non_page():
    routes = customer_routes()
    unlisted = routes - set(BUDGETS) - NOT_PAGES
    assert not unlisted, f"give each new page a query budget in BUDGETS: {sorted(unlisted)}"
    assert not (set(BUDGETS) | NOT_PAGES) - routes, "a listed route no longer exists"


@pytest.fixture
def customer_objects(sandbox, funded_wallet, other_wallet, settings):
    """One of everything a page can show: a transfer, a card, a bank account, a withdrawal
    and a schedule, made the way customers make them (the sandbox plays Paystack)."""
    settings.WALLET_PIN_REQUIRED = False
    service = WalletService()
    transfer = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("100.00")
    )
    Card.objects.create(
        wallet=funded_wallet,
        authorization_code="AUTH_x",
        signature="SIG_x",
        email=funded_wallet.user.email,
        last4="4081",
        exp_month="12",
        exp_year="2030",
    )
    call_command("sync_banks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    account = service.add_bank_account(
        wallet=funded_wallet, bank_code="057", account_number="0000000000"
    )
    withdrawal, _payout = service.withdraw_to_bank(funded_wallet, Decimal("500.00"), account)
    charge = service.initialize_card_charge(
        funded_wallet, Decimal("2000.00"), funded_wallet.user.email, None
    )
    schedule = SettlementService().create_settlement_schedule(funded_wallet, account, "daily")
    sent_to_bank = service.send_to_bank(
        funded_wallet, Decimal("300.00"), bank_code="057", account_number="0000000000"
    )
    asked = create_request(requester=funded_wallet, payer=other_wallet, amount="250.00")
    asked_of_me = create_request(requester=other_wallet, payer=funded_wallet, amount="150.00")
    case = report_problem(user=funded_wallet.user, transaction=transfer, words="Not mine")
    urls = {
        "wallet:transaction_detail": {"pk": transfer.pk},
        "wallet:receipt_image": {"pk": transfer.pk},
        "wallet:receipt_pdf": {"pk": transfer.pk},
        "wallet:deposit_status": {"reference": charge["reference"]},
        "wallet:withdrawal_detail": {"pk": withdrawal.pk},
        "wallet:schedule_edit": {"pk": schedule.pk},
        "wallet:pin_reset": {"token": pin.reset_token(funded_wallet.user)},
        "wallet:bank_send_detail": {"pk": _transaction_of(sent_to_bank).pk},
        "wallet:request_qr": {"pk": asked.pk},
        "wallet:request_pay": {"pk": asked_of_me.pk},
        "wallet:report_problem": {"pk": transfer.pk},
        "wallet:support_case": {"pk": case.pk},
        "wallet:freeze": {"token": freeze_token(funded_wallet.user)},
    }
    queries = {"wallet:deposit_callback": {"reference": charge["reference"]}}
    return {name: (urls.get(name, {}), queries.get(name)) for name in BUDGETS}


def _transaction_of(sent):
    """send_to_bank answers (transaction, payout), as withdraw_to_bank does."""
    return sent[0] if isinstance(sent, tuple) else sent


def _get(client, name, kwargs, query=None):
    response = client.get(reverse(name, kwargs=kwargs), query or {})
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def test_every_customer_page_stays_within_its_query_budget(
    client_logged_in, customer_objects, django_assert_max_num_queries
):
    for name, budget in BUDGETS.items():
        with django_assert_max_num_queries(budget, info=name):
            response = _get(client_logged_in, name, *customer_objects[name])
        assert response.status_code in (200, 302), name


def test_post_only_routes_render_nothing_on_a_get(client_logged_in, customer_objects):
    for name in NOT_PAGES:
        response = client_logged_in.get(_any_url(name))
        assert response.status_code in (302, 404, 405), name  # never a page, never a change


def _any_url(name):
    for kwargs in ({}, {"pk": 1}, {"token": "x"}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: no URL with the arguments tried")


def test_the_live_poll_renders_nothing_and_sums_nothing_when_nothing_changed(
    client_logged_in, customer_objects, django_assert_max_num_queries
):
    headers = {"HX-Request": "true"}
    with django_assert_max_num_queries(LIVE_POLL_CHANGED):
        first = client_logged_in.get("/wallet/?panel=live", headers=headers)
    version = first.content.decode().split("v=", 1)[1].split('"', 1)[0].replace("&amp;", "&")

    with django_assert_max_num_queries(LIVE_POLL_UNCHANGED):
        unchanged = client_logged_in.get(f"/wallet/?panel=live&v={version}", headers=headers)

    assert unchanged.status_code == 204 and unchanged.content == b""
