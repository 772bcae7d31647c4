"""The sandbox process: configuration, dispatch (auth, faults), and the HTTP server."""

import collections
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .faults import Faults
from .store import Store
from .web import ApiError, Request, Response, json_response, router
from .webhooks import Webhooks

log = logging.getLogger("sandbox")

SEED_BALANCE_KOBO = 100_000_000_000  # NGN 1,000,000,000.00
TEST_OTP = "123456"


def default_config(webhook_url=None, settle_delay=0.5):
    return {
        "webhook_url": webhook_url,
        "transfer_otp": False,
        "balance": SEED_BALANCE_KOBO,
        "settle_delay": settle_delay,
        "webhook_retry_delays": [1, 2, 4, 8, 16, 32],
        "webhook_timeout": 10.0,
        # Paystack test mode allows 100 requests per 60 s; null (the default) counts nothing.
        "rate_limit_per_minute": None,
    }


class App:
    def __init__(self, *, db_path, secret_key, webhook_url=None, settle_delay=0.5):
        self.store = Store(db_path)
        self.secret_key = secret_key
        self.defaults = default_config(webhook_url, settle_delay)
        self.faults = Faults()
        self.webhooks = Webhooks(self)
        self.recent_requests = collections.deque()
        self.rate_lock = threading.Lock()
        with self.store.atomic():
            for key, value in self.defaults.items():
                # Command-line values win over what a previous run stored.
                from_cli = key == "settle_delay" or (key == "webhook_url" and webhook_url)
                if from_cli or self.store.get_config(key) is None:
                    self.store.set_config(key, value)

    # --- config ------------------------------------------------------------------------------
    def config(self, key):
        return self.store.get_config(key, self.defaults.get(key))

    def all_config(self):
        return {key: self.config(key) for key in self.defaults}

    def set_config(self, **values):
        unknown = set(values) - set(self.defaults)
        if unknown:
            raise ApiError(400, f"Unknown config keys: {sorted(unknown)}")
        with self.store.atomic():
            for key, value in values.items():
                self.store.set_config(key, value)

    def adjust_balance(self, delta):
        """Change the merchant NGN balance by `delta` kobo (inside store.atomic())."""
        self.store.set_config("balance", self.config("balance") + delta)

    # --- dispatch ----------------------------------------------------------------------------
    def handle(self, request):
        """(response, fault) for one request; the fault says how the transport misbehaves."""
        route, params = router.match(request.method, request.path)
        if route is None:
            status = 405 if params == {} else 404
            return json_response({"status": False, "message": "Not found"}, status), None
        fault = None
        if route.kind == "api":
            fault = self.faults.take(
                endpoint=route.endpoint, path=request.path, method=request.method
            )
            early = self._early_fault(fault) or self._rate_limited()
            if early is not None:
                return early, None
        try:
            if route.kind == "api":
                self._authenticate(request)
            if getattr(route.handler, "outside_transaction", False):
                response = route.handler(self, request, **params)
            else:
                with self.store.atomic():
                    response = route.handler(self, request, **params)
        except ApiError as error:
            response = json_response(error.body(), error.http_status)
        return response, fault

    def _rate_limited(self):
        """429 past `rate_limit_per_minute` API requests in the last 60 s (when set)."""
        limit = self.config("rate_limit_per_minute")
        if not limit:
            return None
        now = time.monotonic()
        with self.rate_lock:
            while self.recent_requests and self.recent_requests[0] < now - 60:
                self.recent_requests.popleft()
            if len(self.recent_requests) >= int(limit):
                reset = int(self.recent_requests[0] + 60 - now) + 1
                return rate_limit_response(limit, reset)
            self.recent_requests.append(now)
        return None

    def _early_fault(self, fault):
        if fault is None:
            return None
        if fault["mode"] == "500":
            body = {"status": False, "message": "An error occurred (sandbox fault: 500)"}
            return json_response(body, 500)
        if fault["mode"] == "429":
            return rate_limit_response(100, 60)
        if fault["mode"] == "latency":
            time.sleep(fault["seconds"] or 0)
        return None

    def _authenticate(self, request):
        header = request.headers.get("authorization")
        if not header:
            raise ApiError(401, "No Authorization header was found")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or key.strip() != self.secret_key:
            raise ApiError(401, "Invalid key")

    # --- background ----------------------------------------------------------------------------
    def start_background(self):
        from .clock import Clock

        self.clock = Clock(self)
        for target in (self.webhooks.run, self.clock.run):
            threading.Thread(target=target, daemon=True).start()


def rate_limit_response(limit, reset_seconds):
    body = {
        "status": False,
        "message": "Rate limit exceeded!",
        "meta": {"nextStep": "Wait a few minutes and try the API call again"},
        "type": "api_error",
        "code": "rate_limited",
    }
    headers = {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(reset_seconds),
    }
    return json_response(body, 429, headers)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PaystackSandbox/1.0"
    # One buffered write per response and no Nagle: avoids 40 ms delayed-ACK stalls.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    app: App = None

    def do_GET(self):  # noqa: N802
        self._serve()

    do_POST = do_PUT = do_DELETE = do_GET  # noqa: N815

    def _serve(self):
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_port}"
        request = Request(
            method=self.command,
            path=unquote(split.path),
            query={key: values[0] for key, values in parse_qs(split.query).items()},
            headers={key.lower(): value for key, value in self.headers.items()},
            body=body,
            base_url=f"http://{host}",
        )
        try:
            response, fault = self.app.handle(request)
        except Exception:
            log.exception("sandbox handler crashed on %s %s", self.command, self.path)
            response = json_response({"status": False, "message": "Sandbox crashed"}, 500)
            fault = None
        self._send(response, fault)

    def _send(self, response: Response, fault):
        mode = fault["mode"] if fault else None
        if mode == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if mode == "hang":
            time.sleep(fault["seconds"] or 0)
        body = response.body
        if mode == "malformed":
            body = json.dumps({"status": True, "message": "ok"}).encode()[:-7] + b'{"dat'
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)


def serve(app, host, port, ready_file=None):
    from . import checkout, control, dispute_control, pages  # noqa: F401  (routes register on import)
    from .api import (  # noqa: F401
        banks,
        customers,
        disputes,
        identification,
        refunds,
        transactions,
        transfers,
    )

    handler = type("BoundHandler", (Handler,), {"app": app})
    server_class = type("Server", (ThreadingHTTPServer,), {"request_queue_size": 128})
    server = server_class((host, port), handler)
    server.daemon_threads = True
    app.start_background()
    url = f"http://{host}:{server.server_port}"
    log.warning("Paystack sandbox listening on %s", url)
    if ready_file:
        with open(ready_file, "w") as handle:
            handle.write(url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        app.webhooks.stopped = True
        server.server_close()
