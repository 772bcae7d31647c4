"""What the input hardening costs (issue 13), on PostgreSQL.

    bash .ci/with-postgres.sh .venv/bin/python bench/hardening.py [--runs 5]

Prints, as the median of `--runs` runs:
- `parse_amount_text` per call (the one amount rule, on a mix of good and bad amounts);
- the control-character check per request (`RefuseControlCharactersMiddleware`, a form POST
  and a JSON POST of typical size, the view not called);
- refused webhooks: N unsigned requests from a few sources through the whole view, per
  request, and how many rows they leave (one per source, whatever N).
Not a test: it prints numbers.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")
AMOUNTS = ["5000", "5,000.50", "1,234,567.89", "10,50", "1e3", "٣", "+5", "abc", "0.001"]


def median_of(runs, work) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_amounts(runs, calls=20_000):
    from wallet.amounts import parse_amount_text
    from wallet.exceptions import InvalidAmount

    def work():
        for index in range(calls):
            try:
                parse_amount_text(AMOUNTS[index % len(AMOUNTS)])
            except InvalidAmount:
                pass

    seconds = median_of(runs, work)
    print(f"parse_amount_text: {seconds / calls * 1e6:.2f} µs per call (mixed good and bad)")


def bench_middleware(runs, calls=5_000):
    from django.test import RequestFactory

    from walletsite.middleware import RefuseControlCharactersMiddleware

    factory = RequestFactory()
    middleware = RefuseControlCharactersMiddleware(lambda request: None)
    form = {"recipient": "bola@example.com", "amount": "5,000.00", "description": "Rent " * 20}
    body = json.dumps({"amount": "5000", "destination_wallet_id": 2, "description": "x" * 200})

    def view(request):
        return None

    for label, make in (
        ("form POST", lambda: factory.post("/wallet/send/", form)),
        ("JSON POST", lambda: factory.post("/wallet/api/x/", body, "application/json")),
    ):
        timings = []
        for _ in range(runs):
            requests = [make() for _ in range(calls)]  # fresh: nothing parsed yet
            started = time.perf_counter()
            for request in requests:
                middleware.process_view(request, view, (), {})
            timings.append(time.perf_counter() - started)
        per_request = statistics.median(timings) / calls * 1e6
        print(f"control-character check, {label}: {per_request:.1f} µs per request")


def bench_refusals(runs, requests_per_run=500, sources=5):
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from wallet.models import WebhookRefusal

    call_command("migrate", verbosity=0)
    settings.WALLET_WEBHOOK_REFUSAL_RATE_LIMIT = ""  # measure the write path, not the 429s
    WebhookRefusal.objects.all().delete()
    client = Client()
    body = json.dumps({"event": "charge.success", "pad": "x" * 60_000}).encode()

    def work():
        cache.clear()
        for index in range(requests_per_run):
            client.generic(
                "POST",
                "/wallet/webhook/",
                body,
                "application/json",
                REMOTE_ADDR=f"203.0.113.{index % sources + 1}",
            )

    seconds = median_of(runs, work)
    rows = WebhookRefusal.objects.count()
    counted = sum(WebhookRefusal.objects.values_list("count", flat=True))
    print(
        f"refused webhooks (60 KB unsigned body): {seconds / requests_per_run * 1e3:.2f} ms per "
        f"request; {counted} refusals from {sources} sources left {rows} rows"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # every refused webhook is logged; not the point here
    bench_amounts(args.runs)
    bench_middleware(args.runs)
    bench_refusals(args.runs)


if __name__ == "__main__":
    main()
