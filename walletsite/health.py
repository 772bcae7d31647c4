"""/healthz: is the database reachable, are the cache tables the settings use there, and has
the django-q2 worker been heard from lately."""

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from walletsite.cache_tables import explain, missing_tables

WORKER_STALE_AFTER = timedelta(minutes=2)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _cache_tables():
    """ "ok", or which database-cache table is missing (logins would answer 500)."""
    try:
        missing = missing_tables()
    except Exception:
        return "unknown"
    return explain(missing) if missing else "ok"


def _worker_last_heartbeat():
    from django_q.status import Stat

    beats = [stat.timestamp for stat in Stat.get_all() if getattr(stat, "timestamp", None)]
    return max(beats) if beats else None


@never_cache
@require_GET
def healthz(request):
    database_ok = _database_ok()
    cache = _cache_tables() if database_ok else "unknown"
    heartbeat = _worker_last_heartbeat() if cache == "ok" else None
    worker_ok = heartbeat is not None and timezone.now() - heartbeat < WORKER_STALE_AFTER
    healthy = database_ok and cache == "ok" and worker_ok
    body = {
        "status": "ok" if healthy else "unhealthy",
        "database": "ok" if database_ok else "unreachable",
        "cache": cache,
        "worker": "ok" if worker_ok else "no recent heartbeat",
        "worker_last_heartbeat": heartbeat.isoformat() if heartbeat else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)
