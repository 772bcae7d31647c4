"""Signed webhook deliveries: stored first, then POSTed by one background thread, retried on
any non-200 on a compressed schedule (config `webhook_retry_delays`)."""

import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger("sandbox.webhooks")


def sign(raw_body: bytes, secret_key: str) -> str:
    """Lowercase hex HMAC-SHA512 of the exact raw body, keyed with the secret key."""
    return hmac.new(secret_key.encode(), raw_body, hashlib.sha512).hexdigest()


class Webhooks:
    def __init__(self, app):
        self.app = app
        self.wake = threading.Condition()
        self.stopped = False
        # Held while one delivery is checked, sent and recorded; cancel_pending takes it, so
        # after a reset no delivery picked up earlier is still on its way.
        self.send_lock = threading.Lock()

    # --- producing ---------------------------------------------------------------------------
    def emit(self, event, data, reference=None):
        """Record a delivery of {"event", "data"} (call inside store.atomic()); faults apply."""
        store = self.app.store
        body = json.dumps({"event": event, "data": data}, separators=(",", ":"))
        url = self.app.config("webhook_url")
        base = {
            "event": event,
            "reference": reference or data.get("reference"),
            "body": body,
            "signature": sign(body.encode(), self.app.secret_key),
            "url": url,
            "attempts": [],
            "retry_index": 0,
            "next_at": time.time(),
            "status": "pending" if url else "no_url",
        }
        copies = 1
        reorder = None
        for fault, last in self.app.faults.take_webhook():
            if fault["mode"] == "duplicate":
                copies = max(copies, 2)
            elif fault["mode"] == "burst":
                copies = max(copies, fault["copies"])
                base["burst"] = f"{fault['id']}-{time.time_ns()}"
            elif fault["mode"] == "delay":
                base["next_at"] += fault["seconds"] or 0
            elif fault["mode"] == "reorder" and url:
                base["status"] = "held"
                base["group"] = fault["id"]
                reorder = (fault["id"], last)
        created = [store.insert("delivery", dict(base)) for _ in range(copies)]
        if reorder and reorder[1]:
            self._release_group(reorder[0])
        self.notify()
        return created

    def _release_group(self, group):
        held = [d for d in self.app.store.all("delivery", status="held") if d.get("group") == group]
        start = time.time()
        for position, delivery in enumerate(sorted(held, key=lambda d: -d["_rowid"])):
            delivery["status"] = "pending"
            delivery["next_at"] = start + position * 0.05
            self.app.store.save("delivery", delivery)

    def release_held(self):
        """Send any events still held by a reorder fault (after faults are cleared)."""
        with self.app.store.atomic():
            groups = {d.get("group") for d in self.app.store.all("delivery", status="held")}
            for group in groups:
                self._release_group(group)
        self.notify()

    def resend(self, delivery_id):
        with self.app.store.atomic():
            delivery = self.app.store.get("delivery", id=delivery_id)
            if delivery is None:
                return None
            delivery["url"] = self.app.config("webhook_url") or delivery["url"]
            delivery["status"] = "pending" if delivery["url"] else "no_url"
            delivery["retry_index"] = 0
            delivery["next_at"] = time.time()
            self.app.store.save("delivery", delivery)
        self.notify()
        return delivery

    def cancel_pending(self):
        with self.send_lock, self.app.store.atomic():
            for status in ("pending", "held"):
                for delivery in self.app.store.all("delivery", status=status):
                    delivery["status"] = "cancelled"
                    self.app.store.save("delivery", delivery)

    def notify(self):
        with self.wake:
            self.wake.notify_all()

    # --- delivering --------------------------------------------------------------------------
    def run(self):
        while not self.stopped:
            with self.wake:
                self.wake.wait(timeout=0.1)
            sent = set()
            for delivery in self._due():
                if delivery["_rowid"] in sent:
                    continue
                with self.send_lock:
                    batch = self._batch(delivery)
                    sent.update(d["_rowid"] for d in batch)
                    self._send_batch(batch)

    def _batch(self, delivery):
        """The delivery, still due; with its whole burst group when it has one."""
        current = self.app.store.get("delivery", id=delivery["_rowid"])
        if current["status"] != "pending" or current["next_at"] > time.time():
            return []
        if not current.get("burst"):
            return [current]
        group = [d for d in self._due() if d.get("burst") == current["burst"]]
        return group or [current]

    def _send_batch(self, batch):
        """One at a time, or all at once (a burst: the same event in parallel requests)."""
        if len(batch) == 1:
            self._attempt(batch[0])
            return
        threads = [threading.Thread(target=self._attempt, args=(d,)) for d in batch]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _due(self):
        now = time.time()
        pending = self.app.store.all("delivery", status="pending", newest_first=False)
        due = [d for d in pending if d["next_at"] <= now]
        return sorted(due, key=lambda d: (d["next_at"], d["_rowid"]))

    def _attempt(self, delivery):
        started = time.time()
        attempt = {"at": started, "status_code": None, "response": "", "error": None}
        request = urllib.request.Request(
            delivery["url"],
            data=delivery["body"].encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "x-paystack-signature": delivery["signature"],
                "User-Agent": "Paystack-Sandbox/1.0",
            },
        )
        try:
            timeout = float(self.app.config("webhook_timeout"))
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                attempt["status_code"] = response.status
                attempt["response"] = response.read(2000).decode(errors="replace")
        except urllib.error.HTTPError as error:
            attempt["status_code"] = error.code
            attempt["response"] = error.read(2000).decode(errors="replace")
        except Exception as error:  # any network failure is a failed attempt, retried
            attempt["error"] = f"{type(error).__name__}: {error}"
        attempt["duration_ms"] = round((time.time() - started) * 1000)
        self._record(delivery["_rowid"], attempt)

    def _record(self, rowid, attempt):
        store = self.app.store
        with store.atomic():
            delivery = store.get("delivery", id=rowid)
            if delivery["status"] != "pending":
                return  # cancelled or resent while we were sending
            delivery["attempts"].append(attempt)
            delays = self.app.config("webhook_retry_delays")
            if attempt["status_code"] == 200:
                delivery["status"] = "delivered"
            elif delivery["retry_index"] < len(delays):
                delivery["next_at"] = time.time() + delays[delivery["retry_index"]]
                delivery["retry_index"] += 1
            else:
                delivery["status"] = "failed"
            store.save("delivery", delivery)
        log.info(
            "webhook %s #%s -> %s", delivery["event"], rowid, attempt["status_code"] or "error"
        )


def delivery_shape(delivery):
    return {
        "id": delivery["id"],
        "event": delivery["event"],
        "reference": delivery.get("reference"),
        "url": delivery["url"],
        "status": delivery["status"],
        "signature": delivery["signature"],
        "body": delivery["body"],
        "payload": json.loads(delivery["body"]),
        "attempts": delivery["attempts"],
        "next_at": delivery["next_at"],
    }
