"""Reads that may be a few seconds old go to the PostgreSQL streaming replica; nothing else does.

Three gates, all of which must open for a read to leave the primary (docs/SCALING.md):

1. the request is a GET/HEAD to a view named in `DATABASE_REPLICA_VIEWS` (history, the CSV
   export, statements, back-office lists) and the browser has not written in the last
   `DATABASE_REPLICA_PIN_SECONDS` (a cookie set after every POST: read-your-write);
2. the model is one of `DATABASE_REPLICA_MODELS` (money rows already written: transactions,
   ledger, payouts, audit...). Wallets (balances), tiers (limits), PINs, tokens, sessions and
   users are never among them;
3. nothing has been written yet in this request, no transaction is open on the primary, and
   the replica's replay lag is under `DATABASE_REPLICA_MAX_LAG_SECONDS` (checked at most once a
   second per process; an unreachable replica counts as too late).

Everything else — every write, every read in a worker, the API, the dashboard — is the primary.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
PIN_COOKIE = "wallet_primary"
SAFE_METHODS = ("GET", "HEAD")
LAG_CHECK_SECONDS = 1.0
# Replay lag in seconds; 0 when nothing is waiting to be replayed (an idle primary writes no
# WAL, so the last replay timestamp ages without any lag) and on a primary itself.
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote_in_request", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "DATABASE_REPLICA_ROUTING", False)) and REPLICA in connections


class ReplicaRouter:
    """Django database router: lag-tolerant reads to `replica`, everything else to `default`."""

    def db_for_read(self, model, **hints):
        # Always name the primary rather than returning None: Django would otherwise follow the
        # instance hint, and a wallet reached from a replica row would be read from the replica.
        if (
            _replica_allowed.get()
            and not _wrote.get()
            and model._meta.label_lower in _replica_models()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replica_enabled()
            and replica_lag().fresh
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a physical copy: it follows the primary's migrations by itself.
        return None if db != REPLICA else False


def _replica_models() -> frozenset[str]:
    return frozenset(label.lower() for label in settings.DATABASE_REPLICA_MODELS)


class _Lag:
    def __init__(self):
        self.checked_at = float("-inf")
        self.seconds: float | None = None
        self.lock = threading.Lock()

    @property
    def fresh(self) -> bool:
        limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        if time.monotonic() - self.checked_at >= LAG_CHECK_SECONDS:
            with self.lock:
                if time.monotonic() - self.checked_at >= LAG_CHECK_SECONDS:
                    self.seconds = _measure_lag()
                    self.checked_at = time.monotonic()
        return self.seconds is not None and self.seconds < limit

    def forget(self):
        self.checked_at = float("-inf")


_lag = _Lag()


def replica_lag() -> _Lag:
    return _lag


def _measure_lag() -> float | None:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except DatabaseError:
        connections[REPLICA].close()
        return None


def view_reads_from_replica(view_name: str) -> bool:
    return any(fnmatch.fnmatchcase(view_name, p) for p in settings.DATABASE_REPLICA_VIEWS)


class ReplicaReadsMiddleware:
    """Opens gate 1 for the listed views, and pins a browser to the primary after it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_enabled():  # no replica configured: nothing to route, no cost
            return self.get_response(request)
        allowed, wrote = _replica_allowed.set(False), _wrote.set(False)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_note_writes):
                response = self.get_response(request)
            if response.streaming and _replica_allowed.get() and not _wrote.get():
                response.streaming_content = _streamed_from_replica(response.streaming_content)
        finally:
            _replica_allowed.reset(allowed)
            _wrote.reset(wrote)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and request.resolver_match is not None
            and view_reads_from_replica(request.resolver_match.view_name)
            and replica_enabled()  # Django calls this hook even when __call__ went straight by
        ):
            _replica_allowed.set(True)
        return None


WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "MERGE")


def _note_writes(execute, sql, params, many, context):
    """Gate 3: once this request wrote (or locked rows) on the primary, it reads there too."""
    statement = sql.lstrip()[:6].upper()
    if statement in WRITE_VERBS or " FOR UPDATE" in sql.upper():
        _wrote.set(True)
    return execute(sql, params, many, context)


def _streamed_from_replica(chunks):
    """A streaming body (the CSV export) is iterated after the middleware returned: reopen the
    gate around each step, since the view was allowed the replica in the first place."""
    iterator = iter(chunks)
    while True:
        token = _replica_allowed.set(True)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _replica_allowed.reset(token)
        yield chunk
