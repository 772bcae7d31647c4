"""The load side of bench/webhooks.py: a light HTTP client and CPU accounting per process group.

The client sends pre-built, pre-signed requests over plain sockets and keeps a connection
alive when the server allows it (gunicorn's gthread worker does; its sync worker closes after
every answer), so the client's own CPU per request is a small part of what is measured; the
`requests` client (the bench's earlier one) stays selectable for comparison.
"""

import os
import socket
import threading
import time

import requests


class _Closed(Exception):
    """The server closed the connection before answering (an idle keep-alive one)."""


class RawConnection:
    """One HTTP/1.1 connection that sends bytes already built and reads the status code."""

    def __init__(self, host: str, port: int):
        self.address = (host, port)
        self.sock = None
        self.buffer = b""

    def send(self, request: bytes) -> int:
        for attempt in range(2):
            if self.sock is None:
                self.sock = socket.create_connection(self.address)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.sock.sendall(request)
                return self._answer()
            except (_Closed, ConnectionError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _answer(self) -> int:
        while b"\r\n\r\n" not in self.buffer:
            self._read()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        headers = dict(line.lower().split(b":", 1) for line in lines[1:])
        if b"content-length" not in headers:
            raise RuntimeError("the server answered without Content-Length (chunked?)")
        length = int(headers[b"content-length"])
        self.buffer = rest
        while len(self.buffer) < length:
            self._read()
        self.buffer = self.buffer[length:]
        if headers.get(b"connection", b"").strip() == b"close":
            self.close()
        return int(lines[0].split()[1])

    def _read(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise _Closed
        self.buffer += chunk

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""


def signed_request(host: str, port: int, path: str, body: bytes, signature: str) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Paystack-Signature: {signature}\r\n\r\n"
    )
    return head.encode() + body


def send_all(host, port, path, signed, clients, client="raw", rate=None):
    """POST every (body, signature) from `clients` threads; (latencies s, statuses, seconds).

    Closed loop by default (each client sends its next request when the last is answered).
    With `rate` (requests/s), open loop: request i is due at start + i / rate, and its latency
    counts from that moment, so a slow answer also delays (and counts against) the ones queued
    behind it, as with Paystack, which does not wait for our answer before sending the next."""
    if client == "raw":
        work = [signed_request(host, port, path, body, sig) for body, sig in signed]
    else:
        work = list(signed)
    work.reverse()
    lock = threading.Lock()
    latencies, statuses = [], []

    def raw_client():
        connection = RawConnection(host, port)
        try:
            _loop(lambda request: connection.send(request))
        finally:
            connection.close()

    def requests_client():
        session, url = requests.Session(), f"http://{host}:{port}{path}"

        def post(item):
            body, signature = item
            headers = {"Content-Type": "application/json", "x-paystack-signature": signature}
            return session.post(url, data=body, headers=headers, timeout=30).status_code

        _loop(post)

    def _loop(send):
        while True:
            with lock:
                if not work:
                    return
                item = work.pop()
                index = len(signed) - len(work) - 1
            started = time.perf_counter()
            if rate:
                started = begun + index / rate
                time.sleep(max(0.0, started - time.perf_counter()))
            status = send(item)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)

    target = raw_client if client == "raw" else requests_client
    threads = [threading.Thread(target=target) for _ in range(clients)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - begun


# --- CPU per process group -----------------------------------------------------------------


def _tree(pid):
    import psutil

    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def postmaster_pid() -> int:
    """The PostgreSQL server this bench talks to: the parent of our own backend."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return psutil.Process(backend).ppid()


class CpuMeter:
    """CPU seconds (user + system) used by each named group of process trees between two
    snapshots; a process that ends in between loses what it used since the first one."""

    def __init__(self, groups: dict[str, list[int]]):
        self.groups = groups  # name -> root pids ("client" is this process alone)

    def snapshot(self) -> dict[str, dict[int, float]]:
        taken = {}
        for name, roots in self.groups.items():
            seen = {}
            for root in roots:
                procs = _tree(root)[:1] if root == os.getpid() else _tree(root)
                for proc in procs:
                    try:
                        times = proc.cpu_times()
                    except Exception:  # noqa: S112 - a process that ended between two reads
                        continue
                    seen[proc.pid] = times.user + times.system
            taken[name] = seen
        return taken

    @staticmethod
    def used(before, after) -> dict[str, float]:
        return {
            name: sum(t - before.get(name, {}).get(pid, 0.0) for pid, t in now.items())
            for name, now in after.items()
        }
