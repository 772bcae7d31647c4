"""axe-core on every customer page and page state, at a laptop's and a phone's size, in the
light and the dark colour scheme (prefers-color-scheme, issue 23), in real Chromium.

axe-core comes with axe-playwright-python (requirements-dev.txt), injected into each page;
the test fails on any serious or critical violation and names the page, size, scheme and rule.
Besides the pages reached by URL, the states reached by a form are checked: the send review
step, the withdraw review, a withdrawal's page, a schedule's edit form, the deposit callback.
"""

import io
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.fixtures.browser import (
    assert_no_template_syntax,
    htmx_ready,
    log_in,
    reauthenticate,
)
from tests.web.customer_pages import CUSTOMER_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": (1280, 800), "phone": (390, 844)}
SCHEMES = ("light", "dark")
BLOCKING = ("serious", "critical")
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


@pytest.fixture
def lived_in_wallet(sandbox, user, funded_wallet, other_wallet):
    """A wallet with a transfer (for a receipt and a notification), a dedicated account, banks
    to pick from, a bank account with a withdrawal, a schedule and an unpaid checkout."""
    from django.core.management import call_command

    from wallet.services.settlement_service import SettlementService
    from wallet.services.wallet_service import WalletService

    call_command("sync_banks", stdout=io.StringIO())
    service = WalletService()
    sent = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("2500")
    )
    service.request_dedicated_account(funded_wallet)
    account = service.add_bank_account(
        wallet=funded_wallet, bank_code="057", account_number="0000000000", account_name=None
    )
    withdrawal, _ = service.withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("1000"), bank_account=account
    )
    schedule = SettlementService().create_settlement_schedule(
        funded_wallet, account, "daily", amount_mode="fixed", fixed_amount=Decimal("500")
    )
    checkout = service.initialize_card_charge(
        wallet=funded_wallet,
        amount=Decimal("700"),
        email=user.email,
        callback_url="http://testserver/wallet/deposit/callback/",
    )
    return {
        "pages": [
            f"/wallet/transactions/{sent.pk}/",
            f"/wallet/transactions/{sent.pk}/report/",  # "Report a problem" (issue 22)
            f"/wallet/withdraw/{withdrawal.pk}/",
            f"/wallet/settlements/schedules/{schedule.pk}/",
            f"/wallet/deposit/callback/?reference={checkout['reference']}",
        ],
        "recipient": other_wallet.user.email,
    }


def _blocking_violations(page, axe, where):
    results = axe.run(page)
    return [
        f"{where}: {violation['id']} ({violation['impact']}) on "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def _send_review(page, live_server, recipient):
    page.goto(f"{live_server.url}/wallet/send/?to={recipient}")
    htmx_ready(page)
    page.get_by_label("Amount (₦)").fill("1000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("send-submit")).to_be_visible()
    _swapped(page)


def _withdraw_review(page, live_server, recipient):
    page.goto(f"{live_server.url}/wallet/withdraw/")
    htmx_ready(page)
    page.get_by_label("Amount").first.fill("1000")
    page.get_by_test_id("withdraw-review").click()
    expect(page.get_by_test_id("withdraw-submit")).to_be_visible()
    _swapped(page)


def _swapped(page):
    """htmx has finished swapping and settling: new content fades in, and axe must not measure
    contrast half-way through the fade (the checks run with reduced motion: no transitions)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


FORM_STATES = {"send review": _send_review, "withdraw review": _withdraw_review}


def _check(page, live_server, paths, states=None):
    axe, problems = Axe(), []
    for scheme in SCHEMES:
        # Reduced motion: colours are measured at rest, never during a fade or a hover change.
        page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
        for name, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                page.goto(live_server.url + path)
                htmx_ready(page)
                where = f"{path} at {name} {width}x{height}, {scheme}"
                problems += _blocking_violations(page, axe, where)
            for state, reach in (states or {}).items():
                reach(page, live_server)
                assert_no_template_syntax(page)
                where = f"{state} at {name} {width}x{height}, {scheme}"
                problems += _blocking_violations(page, axe, where)
    return problems


def test_every_customer_page_passes_axe_at_both_sizes_in_both_schemes(
    page, live_server, user, lived_in_wallet
):
    anonymous = _check(page, live_server, ANONYMOUS_PAGES)
    log_in(page, live_server, user.email)
    reauthenticate_once(page, live_server)
    states = {
        state: (lambda p, s, reach=reach: reach(p, s, lived_in_wallet["recipient"]))
        for state, reach in FORM_STATES.items()
    }
    signed_in = _check(page, live_server, [*CUSTOMER_PAGES, *lived_in_wallet["pages"]], states)

    assert anonymous + signed_in == []


def test_the_dark_scheme_follows_the_devices_setting(page, live_server):
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + "/accounts/login/")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="light")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")

    assert dark != light and dark == "rgb(11, 18, 27)"


def reauthenticate_once(page, live_server):
    """The add-bank-account page asks for a recent password: answer it once, up front."""
    page.goto(live_server.url + "/wallet/bank-accounts/add/")
    if "/reauthenticate/" in page.url:
        reauthenticate(page)
