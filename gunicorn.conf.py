"""gunicorn's settings for every web process started from this directory: the Procfile's `web`,
`make cluster`, the benches and tests. gunicorn reads this file itself (./gunicorn.conf.py is
its default config file); a command-line flag overrides what is set here.

The gthread worker serves several requests at once per process, on threads, and keeps
connections alive between requests, which the load balancer and Paystack's deliveries reuse.
The sync worker answered one request per connection and closed it: with the webhook's own
lane it acknowledged 1.5-2x fewer events per second on the same machine (docs/PERFORMANCE.md,
bench/webhooks.py). Each thread keeps its own database connection (CONN_MAX_AGE), so a node
holds up to WEB_CONCURRENCY x GUNICORN_THREADS of them.
"""

import os

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Seconds an idle kept-alive connection stays open (behind a load balancer: less than its own).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
