"""The background clock: moves pending transfers, refunds and identifications to their final
states."""

import logging
import threading
import time

from .api import disputes, identification, refunds, transfers

log = logging.getLogger("sandbox.clock")


class Clock:
    def __init__(self, app):
        self.app = app
        self.wake = threading.Event()

    def run(self):
        while not self.app.webhooks.stopped:
            self.wake.wait(timeout=0.05)
            self.wake.clear()
            try:
                self.tick()
            except Exception:
                log.exception("sandbox clock tick failed")

    def tick(self, *, everything=False):
        """Settle whatever is due (or everything in flight, when `everything`)."""
        store = self.app.store
        moment = float("inf") if everything else time.time()
        if not everything and not self._anything_due(moment):
            return
        with store.atomic():
            for transfer in store.all("transfer", status="pending", newest_first=False):
                if transfer.get("settle_at", 0) <= moment:
                    transfers.settle(self.app, transfer)
            for job in store.all("job", status="due", newest_first=False):
                if job["at"] <= moment:
                    job["status"] = "done"
                    store.save("job", job)
                    self._run(job)
            for refund in store.all("refund", status="pending", newest_first=False):
                if refund.get("settle_at", 0) <= moment:
                    refunds.settle(self.app, refund)
            # Only the real clock loses a dispute by default ("settle everything now" leaves
            # open disputes open: their due date is days away).
            disputes.expire_overdue(self.app, time.time())

    def _run(self, job):
        if job["action"] == "identify":
            identification.settle(self.app, job)
        else:
            transfers.reverse(self.app, self.app.store.get("transfer", id=job["transfer_id"]))

    def _anything_due(self, moment):
        store = self.app.store
        due = [t.get("settle_at", 0) for t in store.all("transfer", status="pending")]
        due += [j["at"] for j in store.all("job", status="due")]
        due += [r.get("settle_at", 0) for r in store.all("refund", status="pending")]
        due += disputes.due_moments(self.app)
        return any(at <= moment for at in due)
