"""One proxy setting (TRUSTED_PROXIES): behind our proxy, every face sees the same client.

Login rate limits, the v1 API throttles, the staff audit log and the signed-in device
(allauth's session record) all read the client named by X-Forwarded-For through the
trusted hop, never the proxy's own address nor a value the client wrote further left.
"""

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tests.accounts.conftest import log_in_through_form
from tests.api.v1.conftest import Api
from tests.backoffice.conftest import last_audit
from tests.test_foundation_settings import manage, production_key

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
CLIENT = "198.51.100.7"
NEIGHBOUR = "198.51.100.8"  # another customer behind the same proxy


def behind_proxy(client_address, forged="203.0.113.250"):
    """A test client whose requests come through our proxy, with a forged hop at the left."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}")


@pytest.fixture(autouse=True)
def proxied(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    cache.clear()
    yield
    cache.clear()


def test_login_limits_count_the_client_not_the_proxy(make_user):
    browser = behind_proxy(CLIENT)
    for attempt in range(10):  # "10/m/ip", each with another e-mail (the per-key limit is 5)
        log_in_through_form(browser, f"nobody{attempt}@example.com", "wrong")
    blocked = log_in_through_form(browser, "nobody-else@example.com", "wrong")
    assert "Too many failed login attempts" in blocked.content.decode()

    neighbour = log_in_through_form(behind_proxy(NEIGHBOUR), "someone@example.com", "wrong")
    assert "Too many failed login attempts" not in neighbour.content.decode()


def test_the_api_ip_throttle_counts_the_client_not_the_proxy(
    settings, make_user, funded_wallet, other_wallet
):
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"money_user": "0", "money_token": "0", "money_ip": "1/m"}
    settings.REST_FRAMEWORK = rest
    body = {"recipient": other_wallet.public_code, "amount": "1"}

    def send(address):
        api = Api(behind_proxy(address))
        api.client.force_login(make_user())
        return api.post("me/transfers/", body)

    assert send(CLIENT).status_code != 429
    assert send(CLIENT).status_code == 429
    assert send(NEIGHBOUR).status_code != 429  # same proxy, another client: its own allowance


def test_the_audit_log_records_the_client_behind_the_proxy(make_staff, funded_wallet):
    support = behind_proxy(CLIENT)
    support.force_login(make_staff("Support"))
    response = support.post(f"/admin/do/lock_wallet/{funded_wallet.pk}/", {"reason": "Fraud"})
    assert response.status_code == 302
    assert last_audit().ip_address == CLIENT


def test_the_signed_in_device_records_the_client_behind_the_proxy(user):
    browser = behind_proxy(CLIENT)
    assert log_in_through_form(browser, user.email).status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("ip", flat=True)) == [CLIENT]


def test_without_trusted_proxies_every_face_sees_the_proxy(settings, user):
    settings.TRUSTED_PROXIES = []
    assert log_in_through_form(behind_proxy(CLIENT), user.email).status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("ip", flat=True)) == [PROXY]


def test_the_old_second_setting_stops_start_up_with_a_pointer_to_the_one_setting():
    result = manage("check", WALLET_API_NUM_PROXIES="1")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
    assert ImproperlyConfigured.__name__ in result.stderr


def test_production_with_trusted_proxies_passes_check_deploy():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY=production_key(),
        DJANGO_ALLOWED_HOSTS="wallet.example.com", TRUSTED_PROXIES="10.0.0.0/8",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
