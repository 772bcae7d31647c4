"""Caller-supplied references as idempotency keys for money operations."""

from django.db import IntegrityError

from wallet.exceptions import DuplicateReference, WalletError
from wallet.models import Transaction


def replay_or_run(reference, expected: dict, run, *, generated=False):
    """Return the Transaction already made under `reference` if it matches `expected`,
    raise DuplicateReference if it was made with other parameters, else `run()`.

    The operation runs first and the reference is looked up only when it fails: a repeat
    fails (the unique constraint on `reference`, or a refusal such as the funds or limits the
    first call used up), then finds the first call's Transaction and replays it. A first call,
    the common case, pays no lookup; concurrent first calls are settled the same way (the
    loser's insert fails and it replays the winner's result). `generated=True` (a reference
    the server just made up) skips the lookup after a refusal.
    """
    try:
        return run()
    except IntegrityError:
        existing = _made_under(reference)
        if existing is None:
            raise
        return _replay(existing, expected)
    except WalletError:
        existing = None if generated else _made_under(reference)
        if existing is None:
            raise
        return _replay(existing, expected)


def _made_under(reference) -> Transaction | None:
    return Transaction.objects.filter(reference=reference).first() if reference else None


def _replay(existing: Transaction, expected: dict) -> Transaction:
    actual = {field: getattr(existing, field) for field in expected}
    if actual != expected:
        raise DuplicateReference(
            f"The reference “{existing.reference}” was already used with different details."
        )
    return existing
