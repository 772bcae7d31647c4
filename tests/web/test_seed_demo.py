import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.wallet.money import assert_ledger_consistent
from wallet.models import LedgerEntry, Transaction

pytestmark = pytest.mark.django_db


def test_demo_data_is_a_lived_in_wallet_posted_through_the_ledger_and_seeded_once():
    call_command("seed_demo", stdout=StringIO())
    ada = Transaction.objects.filter(wallet__user__email="ada@example.com")
    count = ada.count()
    oldest = ada.order_by("created_at").first().created_at

    call_command("seed_demo", stdout=StringIO())

    assert count > 60
    assert timezone.now() - oldest > dt.timedelta(days=90)
    assert set(ada.values_list("transaction_type", flat=True)) >= {
        "deposit",
        "withdrawal",
        "transfer",
        "reversal",
    }
    assert Transaction.objects.filter(wallet__user__email="ada@example.com").count() == count
    oldest_transfer = ada.filter(transaction_type="transfer").order_by("created_at").first()
    oldest_row = LedgerEntry.objects.filter(wallet__user__email="ada@example.com").earliest(
        "created_at"
    )
    assert timezone.now() - oldest_transfer.created_at > dt.timedelta(days=60)
    assert timezone.now() - oldest_row.created_at > dt.timedelta(days=90)
    assert_ledger_consistent()


def test_demo_staff_have_one_role_each_and_totp_from_the_printed_secret():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from django.contrib.auth import get_user_model

    from wallet.management.commands.seed_demo import DEMO_STAFF

    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    printed = out.getvalue()
    for email, _first, role, secret in DEMO_STAFF:
        user = get_user_model().objects.get(email=email)
        assert list(user.groups.values_list("name", flat=True)) == ([role] if role else [])
        assert user.is_superuser == (role is None) and user.is_staff
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert decrypt(totp.data["secret"]) == secret and secret in printed and email in printed
        code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
        assert TOTP(totp).validate_code(code)
