import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class WebhookReceiver:
    """A local HTTP endpoint that records webhook requests and answers with scripted codes."""

    def __init__(self):
        self.requests = []
        self.answers = []  # status codes to answer with, in order; then 200
        self.delay = 0.0  # seconds each answer takes
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.in_flight += 1
                    receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.in_flight -= 1
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.requests.append(
                        {
                            "body": body,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "status": status,
                        }
                    )
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook/"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def events(self):
        with self.lock:
            return [json.loads(r["body"])["event"] for r in self.requests]


@pytest.fixture
def webhook_receiver(sandbox):
    receiver = WebhookReceiver()
    sandbox.configure(webhook_url=receiver.url)
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
