"""The wallet as a deployment, on this machine: `make cluster` (docs/SCALING.md).

    .venv/bin/python -m deploy.cluster [--web 2] [--workers 2] [--pooler pgbouncer|psycopg]

Starts, each on a free loopback port, with data under var/cluster/: a PostgreSQL primary and a
streaming replica (pg_basebackup -R), the pooler, Redis (broker and cache), N gunicorn web
nodes behind HAProxy, M django-q2 worker clusters on one queue, and the Paystack sandbox.
Prints the addresses and writes them to var/cluster/cluster.json. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from deploy.parts import Postgres, Process, free_port, haproxy, pgbouncer, redis, wait_for_port

# Idle keep-alive seconds of a web node behind HAProxy: longer than the balancer keeps an idle
# connection to it (docs/SCALING.md, "Web nodes behind a balancer").
BALANCED_KEEPALIVE_SECONDS = 75
BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SANDBOX_KEY = "sk_test_sandbox_secret_key"


class Cluster:
    def __init__(
        self,
        root: Path,
        *,
        web: int = 2,
        workers: int = 2,
        pooler: str = "pgbouncer",
        gunicorn_workers: int = 2,
        q_workers: int = 2,
        extra_env=None,
        replica_options: str = "",
    ):
        self.root, self.pooler = root, pooler
        self.ports = {
            "primary": free_port(),
            "replica": free_port(),
            "pgbouncer": free_port(),
            "redis": free_port(),
            "sandbox": free_port(),
            "haproxy": free_port(),
            "web": [free_port() for _ in range(web)],
        }
        self.n_workers, self.gunicorn_workers, self.q_workers = workers, gunicorn_workers, q_workers
        self.extra_env = extra_env or {}
        self.primary = Postgres("primary", root / "pg-primary", self.ports["primary"])
        self.replica = Postgres(
            "replica", root / "pg-replica", self.ports["replica"], options=replica_options
        )
        self.logs = root / "logs"
        self.processes: dict[str, Process] = {}
        self.lock = threading.Lock()

    # --- addresses and the environment every Django process shares ----------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['haproxy']}"

    @property
    def sandbox_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sandbox']}"

    def django_env(self) -> dict[str, str]:
        redis_url = f"redis://127.0.0.1:{self.ports['redis']}"
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "SITE_URL": self.url,
            "TRUSTED_PROXIES": "127.0.0.1",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "DATABASE_REPLICA_URL": self.replica.url(),
            "REDIS_URL": f"{redis_url}/0",
            "CACHE_URL": f"{redis_url}/1",
            "WORKER_CACHE_URL": f"{redis_url}/2",
            "PAYSTACK_BASE_URL": self.sandbox_url,
            "PAYSTACK_SECRET_KEY": SANDBOX_KEY,
            "PAYSTACK_PUBLIC_KEY": "pk_test_sandbox_public_key",
            "Q_WORKERS": str(self.q_workers),
            "PYTHONUNBUFFERED": "1",
        }
        if self.pooler == "pgbouncer":
            env["DATABASE_URL"] = f"postgres://wallet@127.0.0.1:{self.ports['pgbouncer']}/wallet"
            env["DATABASE_PGBOUNCER"] = "1"
        else:
            env["DATABASE_URL"] = self.primary.url()
            env["DATABASE_POOL_MAX_SIZE"] = env.get("DATABASE_POOL_MAX_SIZE", "4")
        env.update(self.extra_env)
        return env

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self, seed: bool = True, collect_static: bool = True):
        began = time.monotonic()
        self.timings: dict[str, float] = {}
        if self.root.exists():
            self.wipe()
        self.logs.mkdir(parents=True, exist_ok=True)
        self.secret_key = secrets.token_urlsafe(60)
        self.primary.init_primary()
        self._add(redis(self.root / "redis", self.ports["redis"]))
        if self.pooler == "pgbouncer":
            self._add(pgbouncer(self.root / "pgbouncer", self.ports["pgbouncer"], self.primary))
        self._add(self._sandbox())
        self.timings["primary, redis, pooler, sandbox"] = time.monotonic() - began
        self.manage("migrate", "--noinput", direct=True)
        self.timings["migrate"] = time.monotonic() - began
        # The replica is copied after the schema exists: less to stream, same result.
        self.replica.init_replica_of(self.primary)
        self.timings["replica"] = time.monotonic() - began
        if seed:
            self.manage("seed_demo")
        if collect_static and not static_files_fresh():  # else: plain storage (the tests)
            self.manage("collectstatic", "--noinput", "-v", "0")
        self.timings["seed, static"] = time.monotonic() - began
        for index in range(len(self.ports["web"])):
            self.start_web(index)
        self._add(haproxy(self.root / "haproxy", self.ports["haproxy"], self.ports["web"]))
        for index in range(self.n_workers):
            self.start_worker(index)
            self.start_webhook_worker(index)
        self.timings["web, haproxy, workers"] = time.monotonic() - began
        self.write_description()

    def _add(self, process: Process):
        self.processes[process.name] = process.start()

    def python(self, *args: str) -> subprocess.CompletedProcess:
        """A Python module of this project run with the cluster's environment."""
        return subprocess.run([PYTHON, *args], cwd=BASE_DIR, env=self.django_env(), check=True)  # noqa: S603

    def python_output(self, *args: str) -> str:
        """The same, its standard output returned (stderr passes through)."""
        argv = [PYTHON, *args]
        return subprocess.run(  # noqa: S603
            argv, cwd=BASE_DIR, env=self.django_env(), check=True, stdout=subprocess.PIPE, text=True
        ).stdout

    def manage(self, *args: str, direct: bool = False):
        env = self.django_env()
        if direct:  # DDL straight to the primary, not through the pooler
            env = {**env, "DATABASE_URL": self.primary.url()}
            env.pop("DATABASE_PGBOUNCER", None)
            env.pop("DATABASE_POOL_MAX_SIZE", None)
        subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603

    def _sandbox(self) -> Process:
        argv = [
            PYTHON,
            "-m",
            "sandbox",
            "--port",
            str(self.ports["sandbox"]),
            "--webhook-url",
            f"{self.url}/wallet/webhook/",
            "--secret-key",
            SANDBOX_KEY,
            "--db",
            str(self.root / "sandbox.sqlite3"),
            "--settle-delay",
            "0.5",
            "--quiet",
        ]
        return Process(
            "sandbox", argv, log=self.logs / "sandbox.log", cwd=BASE_DIR, port=self.ports["sandbox"]
        )

    def web_process(self, index: int) -> Process:
        port = self.ports["web"][index]
        argv = [
            PYTHON,
            "-m",
            "gunicorn",
            "walletsite.wsgi",
            "--workers",
            str(self.gunicorn_workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--no-control-socket",  # several nodes on one machine
            # Behind the balancer a node must not close an idle kept-alive connection first:
            # HAProxy could send the next request on it just as it closes, and a POST that
            # meets a closed connection cannot be retried (the client saw "Remote end closed
            # connection without response" in the load run). gunicorn's 5 s suits clients
            # that connect directly; the balancer's connections stay open longer.
            "--keep-alive",
            str(BALANCED_KEEPALIVE_SECONDS),
        ]
        return Process(
            f"web{index + 1}",
            argv,
            log=self.logs / f"web{index + 1}.log",
            env=self.django_env(),
            cwd=BASE_DIR,
            port=port,
        )

    def start_web(self, index: int):
        self._add(self.web_process(index))

    def start_worker(self, index: int):
        name = f"worker{index + 1}"
        argv = [PYTHON, "manage.py", "qcluster"]
        self._add(
            Process(name, argv, log=self.logs / f"{name}.log", env=self.django_env(), cwd=BASE_DIR)
        )

    def start_webhook_worker(self, index: int):
        """`manage.py process_webhooks`: claims stored Paystack events (SKIP LOCKED) and applies
        them; one beside each worker cluster, side by side safely."""
        name = f"webhooks{index + 1}"
        argv = [PYTHON, "manage.py", "process_webhooks"]
        self._add(
            Process(name, argv, log=self.logs / f"{name}.log", env=self.django_env(), cwd=BASE_DIR)
        )

    def restart_redis(self):
        """A clean restart (SIGTERM: the append-only file is flushed), as in a failover."""
        process = self.processes["redis"]
        process.stop()
        self._add(redis(self.root / "redis", self.ports["redis"]))

    def stop(self):
        """SIGTERM to every process at once (web and workers finish what they hold), then wait;
        the databases last."""
        running = [p for p in reversed(list(self.processes.values())) if p.running]
        for process in running:
            process.signal_group(signal.SIGTERM)
        for process in running:
            process.stop(timeout=15)
        self.replica.stop()
        self.primary.stop()

    def wipe(self):
        self.replica.stop("immediate")
        self.primary.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def write_description(self):
        description = {
            "url": self.url,
            "sandbox": self.sandbox_url,
            "primary": self.primary.url(),
            "replica": self.replica.url(),
            "ports": self.ports,
            "pooler": self.pooler,
            "logs": str(self.logs),
            "pids": {name: p.popen.pid for name, p in self.processes.items()},
        }
        (self.root / "cluster.json").write_text(json.dumps(description, indent=2))
        return description


def static_files_fresh() -> bool:
    """collectstatic compresses every file (minutes on a busy machine): skip it when the
    manifest is newer than every source file."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(p.stat().st_mtime for p in (BASE_DIR / "static").rglob("*") if p.is_file())
    return manifest.stat().st_mtime > newest


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    parser.add_argument("--web", type=int, default=2, help="gunicorn nodes behind HAProxy")
    parser.add_argument("--workers", type=int, default=2, help="django-q2 clusters, one queue")
    parser.add_argument("--pooler", choices=["pgbouncer", "psycopg"], default="pgbouncer")
    parser.add_argument("--root", default=str(BASE_DIR / "var" / "cluster"))
    args = parser.parse_args(argv)
    cluster = Cluster(Path(args.root), web=args.web, workers=args.workers, pooler=args.pooler)
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        cluster.start()
        wait_for_port(cluster.ports["haproxy"])
        print(summary(cluster), flush=True)
        print("Started in " + ", ".join(f"{k} {v:.0f} s" for k, v in cluster.timings.items()))
        while not stopped.wait(1.0):
            for name, process in cluster.processes.items():
                if not process.running:
                    print(f"{name} stopped (exit {process.popen.returncode}); see its log")
                    stopped.set()
    finally:
        print("Stopping the cluster...", flush=True)
        cluster.stop()


def summary(cluster: Cluster) -> str:
    ports = cluster.ports
    webs = ", ".join(f":{p}" for p in ports["web"])
    return f"""
The wallet cluster is up (Ctrl-C stops everything; logs in {cluster.logs}):
  site (HAProxy)       {cluster.url}/   -> gunicorn nodes {webs}
  Paystack sandbox     {cluster.sandbox_url}/
  PostgreSQL primary   127.0.0.1:{ports["primary"]}   replica (streaming) 127.0.0.1:{ports["replica"]}
  pooler               {cluster.pooler} {":" + str(ports["pgbouncer"]) if cluster.pooler == "pgbouncer" else "(in each process)"}
  Redis                127.0.0.1:{ports["redis"]}  (db 0 broker, 1 cache, 2 worker heartbeat)
  workers              {cluster.n_workers} django-q2 clusters on one queue
Demo logins as printed by seed_demo above (password wallet-demo-2026).
"""  # noqa: E501


if __name__ == "__main__":
    main()
