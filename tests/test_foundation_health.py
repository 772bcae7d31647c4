"""/healthz: 200 only when the database answers and a django-q2 worker has reported lately."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url_of_test_database():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def wait_for_status(client, status, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/healthz")
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_has_reported(client):
    caches["workers"].clear()  # no heartbeat left over from another test's worker
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "database": "ok",
        "worker": "no recent heartbeat",
        "cache": "ok",
        "worker_last_heartbeat": None,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_200_while_a_real_worker_runs_and_503_after_it_stops(client):
    env = {**os.environ, "DATABASE_URL": database_url_of_test_database(), "Q_GUARD_CYCLE": "0.5"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        healthy = wait_for_status(client, 200)
        assert healthy.status_code == 200, healthy.json()
        assert healthy.json()["worker"] == "ok"
        assert healthy.json()["worker_last_heartbeat"] is not None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert wait_for_status(client, 503, timeout=15).status_code == 503
