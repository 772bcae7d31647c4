"""The parts of the local cluster, each a real program started in the foreground with its
configuration and data under one directory: PostgreSQL (primary and streaming replica),
PgBouncer, Redis, HAProxy, and any command (gunicorn, qcluster, the sandbox).

Debian's packages (.ci/ensure-system-deps.sh) provide the programs; nothing here installs,
and nothing is started as a system service.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

AS_ROOT = os.geteuid() == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}) before :{port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL and PgBouncer refuse to run as root: as root, run them as `postgres`."""
    return ["runuser", "-u", "postgres", "--", *argv] if AS_ROOT else argv


def owned_by_postgres(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if AS_ROOT:
        shutil.chown(path, "postgres")
    return path


class Process:
    """One long-running command in its own process group, its output in `log`."""

    def __init__(self, name: str, argv: list[str], *, log: Path, env=None, cwd=None, port=None):
        self.name, self.argv, self.log, self.env, self.cwd, self.port = (
            name,
            argv,
            log,
            env,
            cwd,
            port,
        )
        self.popen: subprocess.Popen | None = None

    def start(self, wait: float = 60.0) -> Process:
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops us.
            )
        if self.port:
            wait_for_port(self.port, wait, self.popen)
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int):
        if self.running:
            try:
                os.killpg(self.popen.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self):
        """kill -9 of the whole process group: no cleanup, no goodbye."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=30)

    def stop(self, timeout: float = 15.0):
        if not self.running:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class Postgres:
    """A PostgreSQL cluster on a loopback port: a primary made with initdb, or a streaming
    replica of one made with `pg_basebackup -R` (standby.signal + primary_conninfo)."""

    def __init__(self, name: str, root: Path, port: int, options: str = ""):
        self.name, self.port, self.options = name, port, options
        self.root = root
        self.data = self.root / "data"
        self.logfile = self.root / "server.log"
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])

    def url(self, database: str = "wallet") -> str:
        return f"postgres://wallet@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str):
        subprocess.run(as_postgres([str(self.bin / argv[0]), *argv[1:]]), check=True)  # noqa: S603

    def init_primary(self):
        owned_by_postgres(self.root)
        self._run("initdb", "-D", str(self.data), "-U", "wallet", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "wallet", "wallet")

    def init_replica_of(self, primary: Postgres):
        owned_by_postgres(self.root)
        self._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "wallet",
            "-D",
            str(self.data),
            "-R",  # writes standby.signal and primary_conninfo: a streaming replica
            "-X",
            "stream",
            "--checkpoint=fast",  # else it waits for a spread checkpoint (minutes)
        )
        self.start()

    def start(self):
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c max_connections=300 -c wal_level=replica -c max_wal_senders=5 "
            f"-c hot_standby=on -c shared_buffers=128MB {self.options}"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-o", options, "start"
        )

    def stop(self, mode: str = "fast"):
        if (self.data / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603
                as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop"]),
                check=False,
                stdout=subprocess.DEVNULL,
            )

    def restart(self):
        """A fast shutdown and a start: every open connection is cut, as in a failover."""
        self.stop("fast")
        self.start()

    def query(self, sql: str) -> str:
        result = subprocess.run(  # noqa: S603
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "wallet",
                "-d",
                "wallet",
                "-Atc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()


def pgbouncer(root: Path, port: int, primary: Postgres, pool_size: int = 20) -> Process:
    """PgBouncer in transaction mode in front of the primary (DATABASE_PGBOUNCER=1)."""
    root = owned_by_postgres(root)
    (root / "userlist.txt").write_text('"wallet" ""\n')
    config = root / "pgbouncer.ini"
    config.write_text(
        f"""[databases]
wallet = host=127.0.0.1 port={primary.port} dbname=wallet user=wallet

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {root / "userlist.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 1000
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
; After a failed login to PostgreSQL (a restart, a failover) PgBouncer refuses every client for
; this many seconds ("server login has been failing"): its default of 15 s turned a primary
; restart of a second or two into 15 s of errors in the fault run.
server_login_retry = 1
logfile = {root / "pgbouncer.log"}
"""
    )
    return Process(
        "pgbouncer",
        as_postgres(["/usr/sbin/pgbouncer", str(config)]),
        log=root / "out.log",
        port=port,
    )


def redis(root: Path, port: int) -> Process:
    """Redis with an append-only file, so that a restart keeps the queued tasks."""
    root.mkdir(parents=True, exist_ok=True)
    argv = [
        shutil.which("redis-server") or "/usr/bin/redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(root),
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--save",
        "",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
    ]
    return Process("redis", argv, log=root / "redis.log", port=port)


def haproxy(root: Path, port: int, web_ports: list[int]) -> Process:
    """Round robin over the gunicorn nodes; a node that stops accepting is out within ~2 s and
    a request it refused is sent to another (redispatch)."""
    root.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(
        f"  server web{i} 127.0.0.1:{p} check inter 1s fall 2 rise 2"
        for i, p in enumerate(web_ports, 1)
    )
    config = root / "haproxy.cfg"
    config.write_text(
        f"""global
  maxconn 4000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 2
  option redispatch
  option forwardfor

frontend wallet
  bind 127.0.0.1:{port}
  default_backend web

backend web
  balance roundrobin
{servers}
"""
    )
    return Process(
        "haproxy",
        ["/usr/sbin/haproxy", "-db", "-f", str(config)],
        log=root / "haproxy.log",
        port=port,
    )
