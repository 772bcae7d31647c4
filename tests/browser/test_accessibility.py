"""axe-core on every customer page, at a laptop's and a phone's size, in real Chromium.

axe-core comes with axe-playwright-python (requirements-dev.txt), injected into each page;
the test fails on any serious or critical violation and names the page, size and rule.
"""

import io
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.fixtures.browser import htmx_ready, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": (1280, 800), "phone": (390, 844)}
BLOCKING = ("serious", "critical")
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
CUSTOMER_PAGES = [
    "/wallet/",
    "/wallet/deposit/",
    "/wallet/dedicated-account/",
    "/wallet/cards/",
    "/wallet/send/",
    "/wallet/withdraw/",
    "/wallet/bank-accounts/",
    "/wallet/bank-accounts/add/",
    "/wallet/transactions/",
    "/wallet/transactions/?q=nothing-matches",
    "/wallet/statement/",
    "/wallet/settlements/",
    "/wallet/settlements/schedules/new/",
    "/wallet/limits/",
    "/wallet/security/pin/",
    "/accounts/profile/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/accounts/email/",
    "/accounts/password/change/",
]


@pytest.fixture
def lived_in_wallet(sandbox, user, funded_wallet, other_wallet):
    """A wallet with a transfer (for a receipt), a dedicated account and banks to pick from."""
    from django.core.management import call_command

    from wallet.services.wallet_service import WalletService

    call_command("sync_banks", stdout=io.StringIO())
    service = WalletService()
    sent = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("2500")
    )
    service.request_dedicated_account(funded_wallet)
    return sent


def _blocking_violations(page, axe, where):
    results = axe.run(page)
    return [
        f"{where}: {violation['id']} ({violation['impact']}) on "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def _check(page, live_server, paths):
    axe, problems = Axe(), []
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            page.goto(live_server.url + path)
            htmx_ready(page)
            problems += _blocking_violations(page, axe, f"{path} at {name} {width}x{height}")
    return problems


def test_every_customer_page_passes_axe_at_both_sizes(page, live_server, user, lived_in_wallet):
    anonymous = _check(page, live_server, ANONYMOUS_PAGES)
    log_in(page, live_server, user.email)
    receipt = f"/wallet/transactions/{lived_in_wallet.pk}/"
    signed_in = _check(page, live_server, [*CUSTOMER_PAGES, receipt, f"{receipt}report/"])

    assert anonymous + signed_in == []
