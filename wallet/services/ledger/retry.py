"""Retry a whole database transaction on deadlock or serialization failure."""

import functools
import random
import time

from django.db import OperationalError, connection

# 40P01 deadlock_detected, 40001 serialization_failure (PostgreSQL SQLSTATEs).
CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})


def is_conflict(exc):
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in CONFLICT_SQLSTATES:
        return True
    return "database is locked" in str(exc)  # SQLite's busy timeout ran out


def retry_on_conflict(func=None, *, attempts=6):
    """Run `func` again (with jittered back-off) when the database aborts it as a conflict.

    Only when `func` owns the outermost transaction: inside a caller's atomic block the whole
    transaction is already doomed, so the error must reach the caller's own retry.
    """

    def decorate(inner):
        @functools.wraps(inner)
        def wrapper(*args, **kwargs):
            if connection.in_atomic_block:
                return inner(*args, **kwargs)
            for attempt in range(attempts):
                try:
                    return inner(*args, **kwargs)
                except OperationalError as exc:
                    if not is_conflict(exc) or attempt == attempts - 1:
                        raise
                    time.sleep(random.uniform(0, 0.005 * 2**attempt))

        return wrapper

    return decorate(func) if func is not None else decorate
