"""gunicorn started from the project directory (the Procfile's `web`, `make cluster`, the
benches) reads gunicorn.conf.py: threaded workers that keep connections alive, tunable by
environment; a flag on the command line still wins."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def effective_config(*flags, **environment) -> dict[str, str]:
    env = {**os.environ, **environment}
    for name in ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_KEEPALIVE"):
        if name not in environment:
            env.pop(name, None)
    printed = subprocess.run(
        [GUNICORN, "--print-config", *flags, "walletsite.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pairs = (line.split("=", 1) for line in printed.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_gunicorn_in_the_project_directory_runs_threaded_workers_with_keep_alive():
    config = effective_config()

    assert (config["worker_class"], config["threads"], config["keepalive"]) == ("gthread", "4", "5")


def test_the_environment_tunes_the_workers_and_a_flag_still_wins():
    assert effective_config(GUNICORN_THREADS="8")["threads"] == "8"
    assert effective_config("-k", "sync", GUNICORN_WORKER_CLASS="gthread")["worker_class"] == "sync"
