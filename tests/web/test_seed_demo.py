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
