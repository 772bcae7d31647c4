"""How fast the PaystackClient + sandbox pair answers: prints calls per second and latencies.

.venv/bin/python bench/sandbox_client.py
"""

import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixtures.sandbox import (  # noqa: E402
    PaystackSandbox,
    start_sandbox_process,
    stop_sandbox_process,
)
from wallet.paystack import PaystackClient  # noqa: E402


def report(label, latencies, elapsed=None):
    latencies = sorted(latencies)
    rate = f"{len(latencies) / elapsed:8.0f}/s" if elapsed else " " * 10
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000
    print(f"{label:<44} {rate}   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")


def timed(label, count, call, threads=1):
    latencies = []

    def one(i):
        started = time.perf_counter()
        call(i)
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(count)))
    report(label, latencies, time.perf_counter() - started)


class Receiver(BaseHTTPRequestHandler):
    hits = []

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.hits.append(time.perf_counter())
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def run(sandbox, client):
    run_id = time.time_ns()
    started = [
        client.initialize_transaction(
            email="bench@example.com", amount_kobo=10_000, reference=f"b{run_id}-{i}"
        )
        for i in range(300)
    ]
    timed(
        "initialize_transaction (1 thread)",
        300,
        lambda i: client.initialize_transaction(email="bench@example.com", amount_kobo=10_000),
    )
    timed(
        "verify_transaction (1 thread)",
        300,
        lambda i: client.verify_transaction(started[i]["reference"]),
    )
    timed(
        "verify_transaction (8 threads)",
        800,
        lambda i: client.verify_transaction(started[i % 300]["reference"]),
        threads=8,
    )
    timed(
        "checkout pay via control API (1 thread)",
        200,
        lambda i: sandbox.complete_checkout(started[i]["access_code"]),
    )
    code = client.create_transfer_recipient(
        name="Bench", account_number="0123456789", bank_code="058"
    )["recipient_code"]
    timed(
        "initiate_transfer (4 threads)",
        200,
        lambda i: client.initiate_transfer(
            amount_kobo=10_000, recipient_code=code, reference=f"bench-{run_id}-{i:06d}"
        ),
        threads=4,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sandbox.configure(webhook_url=f"http://127.0.0.1:{server.server_port}/")
    latencies = []
    for i in range(50):
        data = client.initialize_transaction(
            email="bench@example.com", amount_kobo=10_000, reference=f"w{run_id}-{i}"
        )
        before = len(Receiver.hits)
        begun = time.perf_counter()
        sandbox.complete_checkout(data["access_code"])
        while len(Receiver.hits) == before:
            time.sleep(0.001)
        latencies.append(Receiver.hits[-1] - begun)
    report("payment -> signed charge.success received", latencies)
    server.shutdown()


def main():
    with tempfile.TemporaryDirectory() as directory:
        process, url = start_sandbox_process(directory)
        sandbox = PaystackSandbox(url)
        client = PaystackClient(
            secret_key=sandbox.secret_key, base_url=url, timeout=10, connect_timeout=3
        )
        try:
            run(sandbox, client)
        finally:
            stop_sandbox_process(process)


if __name__ == "__main__":
    main()
