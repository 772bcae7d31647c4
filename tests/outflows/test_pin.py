"""The transaction PIN: hashed, wrong tries counted atomically, locked after 5 for 30 minutes
(with an e-mail), the lock expires, the reset flow, and the PIN never in clear anywhere."""

import logging
import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.outflows.conftest import PIN
from wallet.exceptions import PinInvalid, PinLocked, PinNotSet, PinRequired, WalletError
from wallet.models import TransactionPin
from wallet.services.outflows import pin as pins


def stored_hash(user):
    return TransactionPin.objects.values_list("pin_hash", flat=True).get(user=user)


@pytest.mark.django_db
def test_the_pin_is_stored_as_a_hash_keyed_by_the_secret_key(user, pin_of, settings):
    pin_of(user)
    stored = stored_hash(user)
    assert PIN not in stored and stored.startswith("pin_hmac_sha256$")
    pins.verify_pin(user, PIN)
    # A copy of the database without the key cannot test a single guess...
    settings.SECRET_KEY, old_key = "another-key-" + "x" * 50, settings.SECRET_KEY
    with pytest.raises(PinInvalid):
        pins.verify_pin(user, PIN)
    # ...and the key can be rotated: the old one, kept as a fallback, still verifies.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    pins.verify_pin(user, PIN)


@pytest.mark.django_db
def test_a_pin_stored_by_the_old_password_hasher_still_works_and_is_stored_again(user):
    from django.contrib.auth.hashers import make_password

    TransactionPin.objects.create(user=user, pin_hash=make_password(PIN))
    with pytest.raises(PinInvalid):
        pins.verify_pin(user, "9753")
    assert not stored_hash(user).startswith("pin_hmac_sha256$")

    pins.verify_pin(user, PIN)

    assert stored_hash(user).startswith("pin_hmac_sha256$")
    pins.verify_pin(user, PIN)
    assert TransactionPin.objects.get(user=user).failed_attempts == 0


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["123", "12345", "12a4", "１２３４", "1234", "0000", ""])
def test_a_pin_is_4_plain_digits_and_not_an_obvious_one(user, bad):
    with pytest.raises(WalletError):
        pins.set_first_pin(user, bad)
    assert not pins.has_pin(user)


@pytest.mark.django_db
def test_a_missing_pin_and_an_unset_pin_are_told_apart(user, pin_of, other_user):
    with pytest.raises(PinNotSet):
        pins.verify_pin(other_user, PIN)
    pin_of(user)
    with pytest.raises(PinRequired):
        pins.verify_pin(user, "")


@pytest.mark.django_db
def test_wrong_tries_say_how_many_are_left_and_a_right_one_starts_again(user, pin_of):
    pin_of(user)
    with pytest.raises(PinInvalid, match="4 tries left"):
        pins.verify_pin(user, "9999")
    pins.verify_pin(user, PIN)
    assert TransactionPin.objects.get(user=user).failed_attempts == 0


@pytest.mark.django_db
def test_the_fifth_wrong_try_locks_for_30_minutes_and_emails_the_user(user, pin_of, mailoutbox):
    pin_of(user)
    for _ in range(4):
        with pytest.raises(PinInvalid):
            pins.verify_pin(user, "9999")
    with pytest.raises(PinLocked, match="locked after 5 wrong tries"):
        pins.verify_pin(user, "9999")
    with pytest.raises(PinLocked):
        pins.verify_pin(user, PIN)  # even the right PIN, while locked
    record = TransactionPin.objects.get(user=user)
    left = record.locked_until - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    assert len(mailoutbox) == 1 and "locked" in mailoutbox[0].subject
    assert PIN not in mailoutbox[0].body


@pytest.mark.django_db
def test_the_lock_expires(user, pin_of):
    pin_of(user)
    TransactionPin.objects.filter(user=user).update(
        failed_attempts=5, locked_until=timezone.now() - timedelta(seconds=1)
    )
    pins.verify_pin(user, PIN)
    assert TransactionPin.objects.get(user=user).locked_until is None


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_wrong_pins_count_ten_and_lock(user, pin_of, mailoutbox):
    pin_of(user)
    mailoutbox.clear()  # the "PIN set" security notice
    barrier = threading.Barrier(10)
    refusals = []

    def wrong_try():
        try:
            barrier.wait(timeout=10)
            pins.verify_pin(user, "9999")
        except PinInvalid as error:
            refusals.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrong_try) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    record = TransactionPin.objects.get(user=user)
    assert len(refusals) == 10
    assert record.failed_attempts == 10
    assert record.locked_until is not None
    assert sum(isinstance(e, PinLocked) for e in refusals) == 6  # the 5th and every later one
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_changing_the_pin_needs_the_old_one(user, pin_of):
    pin_of(user)
    with pytest.raises(PinInvalid):
        pins.change_pin(user, old_pin="9999", new_pin="4826")
    pins.change_pin(user, old_pin=PIN, new_pin="4826")
    pins.verify_pin(user, "4826")


@pytest.mark.django_db
def test_the_reset_flow_emails_a_link_asks_the_password_and_works_once(
    client_logged_in, user, pin_of, mailoutbox
):
    pin_of(user)
    TransactionPin.objects.filter(user=user).update(
        failed_attempts=5, locked_until=timezone.now() + timedelta(minutes=30)
    )
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    assert client_logged_in.post("/wallet/security/pin/reset/").status_code == 302
    link = re.search(r"http://testserver(/wallet/security/pin/reset/\S+/)", mailoutbox[-1].body)
    url = link.group(1)
    wrong = client_logged_in.post(
        url, {"password": "not-it", "new_pin": "4826", "new_pin_confirm": "4826"}
    )
    assert wrong.status_code == 422 and b"not your account password" in wrong.content
    right = client_logged_in.post(
        url, {"password": "correct-horse-battery", "new_pin": "4826", "new_pin_confirm": "4826"}
    )
    assert right.status_code == 302
    pins.verify_pin(user, "4826")  # new PIN, lock gone
    assert client_logged_in.get(url).status_code == 400  # the link worked once


@pytest.mark.django_db
def test_the_pin_never_appears_in_logs_responses_or_the_database(
    client_logged_in, user, funded_wallet, other_wallet, caplog, settings
):
    settings.WALLET_PIN_REQUIRED = True
    caplog.set_level(logging.DEBUG)
    secret = "7391"
    form = {"recipient": other_wallet.public_code, "amount": "100", "step": "send"}
    first = client_logged_in.post(
        "/wallet/send/", {**form, "new_pin": secret, "new_pin_confirm": secret}
    )
    wrong = client_logged_in.post("/wallet/send/", {**form, "pin": "7390"})
    api = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        {"destination_wallet_id": other_wallet.pk, "amount": "1", "pin": secret},
        content_type="application/json",
    )
    assert api.status_code == 201
    for response in (first, wrong, api):
        assert secret.encode() not in response.content
        assert b"7390" not in response.content
    assert secret not in caplog.text and "7390" not in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT pin_hash FROM wallet_transactionpin")
        (stored,) = cursor.fetchone()
    assert secret not in stored


@pytest.mark.django_db
def test_the_security_page_sets_then_changes_the_pin(client_logged_in, user):
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    page = client_logged_in.get("/wallet/security/pin/")
    assert b"Choose your PIN" in page.content
    mismatch = {"new_pin": "4826", "new_pin_confirm": "4862"}
    assert client_logged_in.post("/wallet/security/pin/", mismatch).status_code == 422
    ok = {"new_pin": "4826", "new_pin_confirm": "4826"}
    assert client_logged_in.post("/wallet/security/pin/", ok).status_code == 302
    assert b"Change your PIN" in client_logged_in.get("/wallet/security/pin/").content
    change = {"old_pin": "9999", "new_pin": "7391", "new_pin_confirm": "7391"}
    refused = client_logged_in.post("/wallet/security/pin/", change)
    assert refused.status_code == 422 and b"4 tries left" in refused.content
    change["old_pin"] = "4826"
    assert client_logged_in.post("/wallet/security/pin/", change).status_code == 302
    pins.verify_pin(user, "7391")


@pytest.mark.django_db
def test_an_e_mail_server_that_is_down_does_not_break_the_lockout(user, pin_of, monkeypatch):
    import smtplib

    from wallet.services.notifications import emails

    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(emails.EmailMessage, "send", refuse)
    pin_of(user)
    for _ in range(4):
        with pytest.raises(PinInvalid):
            pins.verify_pin(user, "9753")
    with pytest.raises(PinLocked):
        pins.verify_pin(user, "9753")
    assert TransactionPin.objects.get(user=user).locked_until is not None
