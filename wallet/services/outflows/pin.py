"""The 4-digit transaction PIN: set, change, verify, reset.

Stored only as a keyed hash (`pin_hasher.py` says why not a slow password hash). Wrong tries
are counted on the PIN's row under a row lock, so N parallel wrong tries count N; the 5th
locks it for 30 minutes and e-mails the user.
While locked every try is refused without looking at the PIN (and still counted).
"""

import re
from datetime import timedelta

from django.core import signing
from django.db import transaction as db
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wallet.exceptions import PinInvalid, PinLocked, PinNotSet, PinRequired, WalletError
from wallet.models import TransactionPin
from wallet.services.api_tokens import JOINED_PIN_ROW
from wallet.services.outflows import account_security, notifications
from wallet.services.outflows.pin_hasher import hash_pin, pin_matches

MAX_WRONG_TRIES = 5
LOCK_FOR = timedelta(minutes=30)
RESET_LINK_SECONDS = 3600
RESET_SALT = "wallet.transaction-pin-reset"
PIN_FORMAT = re.compile(r"[0-9]{4}")
# PINs anyone would try first.
GUESSABLE = {
    "0000",
    "1111",
    "2222",
    "3333",
    "4444",
    "5555",
    "6666",
    "7777",
    "8888",
    "9999",
    "1234",
    "4321",
    "0123",
    "1212",
    "2580",
}


def has_pin(user) -> bool:
    return TransactionPin.objects.filter(user=user).exists()


def check_new_pin(pin: str) -> str:
    """A PIN the user may choose, or WalletError saying why not."""
    pin = pin if isinstance(pin, str) else ""
    if not PIN_FORMAT.fullmatch(pin):
        raise WalletError("The PIN is exactly 4 digits.")
    if pin in GUESSABLE:
        raise WalletError("That PIN is too easy to guess; choose another.")
    return pin


def set_first_pin(user, pin: str) -> None:
    """Set the PIN of a user who has none. Raises WalletError (has one, or a bad PIN)."""
    hashed = hash_pin(check_new_pin(pin))
    _, created = TransactionPin.objects.get_or_create(user=user, defaults={"pin_hash": hashed})
    if not created:
        raise WalletError("You already have a PIN: change it with your current PIN.")
    account_security.send_security_notice(user=user, kind="pin_set")


def change_pin(user, *, old_pin: str, new_pin: str) -> None:
    """Replace the PIN; the old one must be right (a wrong one counts as a wrong try)."""
    new_pin = check_new_pin(new_pin)
    verify_pin(user, old_pin)
    _replace(user, new_pin)
    account_security.send_security_notice(user=user, kind="pin_changed")


def verify_pin(user, pin) -> None:
    """Let an outflow through only with the right PIN. Raises PinRequired, PinNotSet,
    PinInvalid (saying how many tries are left) or PinLocked."""
    if pin is None or pin == "":
        raise PinRequired()
    if not isinstance(pin, str):  # a JSON number would lose a leading zero
        raise PinInvalid("Send the PIN as a string of 4 digits.")
    if not pin.strip():
        raise PinRequired()
    record = _pin_row(user)
    if record is None:
        raise PinNotSet()
    # Checked before taking the lock: a PIN stored by the old slow hasher takes ~300 ms.
    right, outdated = pin_matches(pin.strip(), record.pin_hash)
    if right and not outdated and record.failed_attempts == 0 and record.locked_until is None:
        return  # nothing to reset or store again: no lock, no write (the API's hot path)
    with db.atomic():
        locked = TransactionPin.objects.select_for_update().get(pk=record.pk)
        now = timezone.now()
        if locked.locked_until is not None and locked.locked_until <= now:
            locked.failed_attempts, locked.locked_until = 0, None  # the lock has run out
        if locked.locked_until is None and right and locked.pin_hash == record.pin_hash:
            if outdated:
                locked.pin_hash = hash_pin(pin.strip())
            _save_tries(locked, 0, None, rehashed=outdated)
            return
        failure = _count_wrong_try(locked, now)
    if isinstance(failure, PinLocked) and failure.just_locked:
        notifications.pin_locked(user, locked.locked_until)
    raise failure


def _pin_row(user) -> TransactionPin | None:
    """The user's PIN row: the one joined to this request's token lookup, used once (a later
    check reads again), else read now. Only the no-write fast path trusts it; a wrong try, a
    lock or a rehash re-reads the row under a row lock."""
    if JOINED_PIN_ROW in user.__dict__:
        return user.__dict__.pop(JOINED_PIN_ROW)
    return TransactionPin.objects.filter(user=user).first()


def _count_wrong_try(record, now) -> PinInvalid:
    tries = record.failed_attempts + 1
    if record.locked_until is not None:
        _save_tries(record, tries, record.locked_until)
        return _locked_error(record.locked_until, just_locked=False)
    if tries >= MAX_WRONG_TRIES:
        _save_tries(record, tries, now + LOCK_FOR)
        return _locked_error(record.locked_until, just_locked=True)
    _save_tries(record, tries, None)
    left = MAX_WRONG_TRIES - tries
    return PinInvalid(f"That PIN is not right. {left} {'try' if left == 1 else 'tries'} left.")


def _locked_error(until, *, just_locked: bool) -> PinLocked:
    error = PinLocked(
        "Your transaction PIN is locked after 5 wrong tries, until "
        f"{timezone.localtime(until):%H:%M}. Try again then, or reset it: "
        "account menu › Transaction PIN."
    )
    error.just_locked = just_locked
    return error


def _save_tries(record, tries, locked_until, rehashed=False) -> None:
    record.failed_attempts, record.locked_until = tries, locked_until
    fields = ["failed_attempts", "locked_until", "changed_at"] + (["pin_hash"] if rehashed else [])
    record.save(update_fields=fields)


def _replace(user, pin: str) -> None:
    TransactionPin.objects.update_or_create(
        user=user,
        defaults={"pin_hash": hash_pin(pin), "failed_attempts": 0, "locked_until": None},
    )


# --- reset by e-mailed link plus the account password ----------------------------------------


def reset_token(user) -> str:
    """A signed token bound to the user and to the current PIN hash (so it works once)."""
    return signing.dumps({"user": user.pk, "pin": _pin_fingerprint(user)}, salt=RESET_SALT)


def send_reset_link(user, build_url) -> bool:
    """E-mail the reset link; `build_url(token)` makes the absolute URL of the reset page."""
    return notifications.pin_reset_link(user, build_url(reset_token(user)))


def token_is_valid(user, token: str) -> bool:
    try:
        data = signing.loads(token, salt=RESET_SALT, max_age=RESET_LINK_SECONDS)
    except signing.BadSignature:
        return False
    return data == {"user": user.pk, "pin": _pin_fingerprint(user)}


def reset_pin(user, *, token: str, password: str, new_pin: str) -> None:
    """Set a new PIN from a reset link, after the user re-enters the account password.
    Clears the lock. Raises WalletError (bad link, wrong password, bad PIN)."""
    if not token_is_valid(user, token):
        raise WalletError("This reset link has expired or was already used; ask for a new one.")
    if not user.check_password(password or ""):
        raise WalletError("That is not your account password.")
    _replace(user, check_new_pin(new_pin))
    account_security.credentials_changed(user=user, kind="pin_reset")  # starts the cooling-off


def _pin_fingerprint(user) -> str:
    record = TransactionPin.objects.filter(user=user).only("pin_hash").first()
    # A keyed digest, so the (readable) token reveals nothing of the hash itself.
    return salted_hmac(RESET_SALT, record.pin_hash).hexdigest()[:20] if record else "none"
