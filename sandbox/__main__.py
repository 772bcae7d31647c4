"""python -m sandbox --port 8001 --webhook-url URL --secret-key KEY --db PATH"""

import argparse
import logging

from .app import App, serve


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port")
    parser.add_argument("--webhook-url", default=None, help="where webhooks are POSTed")
    parser.add_argument("--secret-key", default="sk_test_sandbox_secret_key")
    parser.add_argument("--db", default="var/sandbox.sqlite3", help="SQLite state file")
    parser.add_argument("--settle-delay", type=float, default=0.5, help="seconds to final state")
    parser.add_argument("--ready-file", default=None, help="write the base URL here when ready")
    parser.add_argument("--quiet", action="store_true", help="log only warnings")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s sandbox %(levelname)s %(message)s",
    )
    app = App(
        db_path=args.db,
        secret_key=args.secret_key,
        webhook_url=args.webhook_url,
        settle_delay=args.settle_delay,
    )
    try:
        serve(app, args.host, args.port, ready_file=args.ready_file)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
