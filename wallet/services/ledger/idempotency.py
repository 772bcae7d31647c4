"""Caller-supplied references as idempotency keys for money operations."""

from django.db import IntegrityError

from wallet.exceptions import DuplicateReference
from wallet.models import Transaction


def replay_or_run(reference, expected: dict, run, *, generated=False):
    """Return the Transaction already made under `reference` if it matches `expected`,
    raise DuplicateReference if it was made with other parameters, else `run()`.

    `generated=True` skips the lookup for a reference the server just made up.
    The unique constraint on `reference` settles concurrent first calls: the loser's insert
    fails and it replays the winner's result.
    """
    if reference and not generated:  # a reference we just generated cannot exist yet
        existing = Transaction.objects.filter(reference=reference).first()
        if existing is not None:
            return _replay(existing, expected)
    try:
        return run()
    except IntegrityError:
        existing = Transaction.objects.filter(reference=reference).first() if reference else None
        if existing is None:
            raise
        return _replay(existing, expected)


def _replay(existing: Transaction, expected: dict) -> Transaction:
    actual = {field: getattr(existing, field) for field in expected}
    if actual != expected:
        raise DuplicateReference(
            f"The reference “{existing.reference}” was already used with different details."
        )
    return existing
