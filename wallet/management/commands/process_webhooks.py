"""The webhook worker: `manage.py process_webhooks` applies stored Paystack events until
SIGTERM or Ctrl-C (it finishes the event in hand, then stops). Run one or more next to the
django-q2 cluster (Procfile `webhooks:`); `--once` applies what is waiting and exits."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from wallet.services.funding import webhook_claims


class Command(BaseCommand):
    help = "Claim stored Paystack webhook events (SKIP LOCKED) and apply each exactly once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--poll",
            type=float,
            default=settings.WEBHOOK_WORKER_POLL,
            help="Seconds to wait when no event is waiting (default WEBHOOK_WORKER_POLL).",
        )
        parser.add_argument("--batch", type=int, default=webhook_claims.BATCH)
        parser.add_argument("--once", action="store_true", help="Apply what waits, then exit.")

    def handle(self, *args, poll, batch, once, **options):
        if once:
            applied = 0
            while done := webhook_claims.process_waiting(batch):
                applied += done
            self.stdout.write(f"{applied} webhook events applied.")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Webhook worker started (poll {poll}s, batch {batch}).")
        applied = webhook_claims.run(stop, poll=poll, limit=batch)
        self.stdout.write(f"Webhook worker stopped after {applied} events.")
