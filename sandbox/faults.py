"""Fault injection, set over HTTP: per API endpoint (500, hang, drop, malformed, 429, latency)
and for webhook deliveries (duplicate, delay, reorder, burst)."""

import itertools
import threading

API_MODES = {"500", "hang", "drop", "malformed", "429", "latency"}
WEBHOOK_MODES = {"duplicate", "delay", "reorder", "burst"}
WEBHOOK_PATHS = {"webhook", "/webhook", "webhooks", "/webhooks"}
DEFAULT_SECONDS = {"hang": 30.0, "latency": 1.0, "delay": 2.0}


class FaultError(ValueError):
    pass


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
        self.ids = itertools.count(1)

    def add(self, *, path, mode, seconds=None, times=1, method=None, copies=None):
        mode = str(mode)
        is_webhook = path in WEBHOOK_PATHS
        allowed = WEBHOOK_MODES if is_webhook else API_MODES
        if mode not in allowed:
            raise FaultError(f"mode {mode!r} is not one of {sorted(allowed)} for path {path!r}")
        if not is_webhook and not str(path).startswith("/"):
            raise FaultError("path must start with / (for example /transfer) or be 'webhook'")
        if times is not None and int(times) < 1:
            raise FaultError("times must be a positive integer, or null for every request")
        if mode == "reorder" and times is None:
            raise FaultError("reorder needs times: how many events to hold and send reversed")
        fault = {
            "id": next(self.ids),
            "path": "webhook" if is_webhook else path.rstrip("/") or "/",
            "mode": mode,
            "seconds": float(seconds) if seconds is not None else DEFAULT_SECONDS.get(mode),
            "times": int(times) if times is not None else None,
            "method": method.upper() if method else None,
            "copies": max(int(copies or 5), 2) if mode == "burst" else None,
            "used": 0,
        }
        with self.lock:
            self.items.append(fault)
        return dict(fault)

    def clear(self):
        with self.lock:
            self.items.clear()

    def list(self):
        with self.lock:
            return [dict(fault) for fault in self.items]

    def take(self, *, endpoint, path, method):
        """Consume the first fault matching this API request (by endpoint or exact path)."""
        with self.lock:
            for fault in self.items:
                if fault["path"] == "webhook":
                    continue
                if fault["path"] not in (endpoint, path.rstrip("/") or "/", "*"):
                    continue
                if fault["method"] and fault["method"] != method:
                    continue
                return self._consume(fault)
        return None

    def take_webhook(self):
        """Consume one use of every webhook fault; returns (fault, is_last_use) pairs."""
        taken = []
        with self.lock:
            for fault in [f for f in self.items if f["path"] == "webhook"]:
                consumed = self._consume(fault)
                taken.append((consumed, consumed["times"] is not None and fault not in self.items))
        return taken

    def _consume(self, fault):
        fault["used"] += 1
        if fault["times"] is not None and fault["used"] >= fault["times"]:
            self.items.remove(fault)
        return dict(fault)
