"""Locust scenarios from real use of the wallet, against the cluster (deploy/cluster.py).

Run by bench/cluster_load.py (open-loop rising rates, CPU per part, faults); by hand:

    LOAD_PEOPLE=var/cluster/people.json .venv/bin/locust -f bench/locustfile.py \
        --host http://127.0.0.1:PORT --headless -u 10 -r 10 -t 30s Browsing

LOAD_PEOPLE is the JSON that `python -m deploy.customers` writes (sessions, tokens, PINs).
Every user issues one request a second (`once_a_second`), so N users offer N requests a
second whatever the answers take: open-loop for as long as answers come within a second.
Each user keeps its own moment of the second, so the requests are spread over it.
Only loopback addresses are ever used. Browser cookies are sent as plain headers: the cluster
runs with DEBUG off, whose session cookie is Secure, and the load runs over plain HTTP.
"""

import itertools
import json
import os
import random
import re
import time
from decimal import Decimal

from locust import HttpUser, task

PEOPLE = json.loads(open(os.environ.get("LOAD_PEOPLE", "var/cluster/people.json")).read())  # noqa: SIM115
SANDBOX = os.environ.get("LOAD_SANDBOX", "http://127.0.0.1:8001")
_next_customer = itertools.count()
TEST_CARD = "4084084084084081"


def checked(call, url, **options):
    """A request whose failure is recorded with why: the status and the wallet's error code (or
    the start of the body), so the load run's table says why a request failed."""
    with call(url, catch_response=True, **options) as answer:
        if answer.status_code >= 400:
            answer.failure(f"{answer.status_code} {_reason(answer)}")
        return answer


def _reason(answer) -> str:
    try:
        body = answer.json()
    except ValueError:
        title = re.search(r"<title>(.*?)</title>", answer.text, re.S)  # an error page
        return " ".join((title.group(1) if title else answer.text).split())[:80]
    if isinstance(body, dict):
        return str(body.get("code") or body.get("error") or body.get("detail") or body)[:80]
    return str(body)[:80]


def customer():
    customers = PEOPLE["customers"]
    return customers[next(_next_customer) % len(customers)]


def once_a_second(user) -> float:
    """The wait before a user's next request: one a second, each user at its own moment of
    the second. Locust spawns a step's users together, and its constant_throughput anchors
    every user's pacing at that moment, so N users sent N requests at once at the top of each
    second (the tables before 2026-12-05, later, measured those bursts: p50 3-4x what a steady
    arrival sees). A user whose answer takes more than a second goes again at once: the
    offered rate holds while the server keeps up, as with constant_throughput."""
    now = time.perf_counter()
    due = getattr(user, "_due", None)
    user._due = max(now, now + random.random() if due is None else due + 1.0)
    return user._due - now


class Customer(HttpUser):
    abstract = True
    wait_time = once_a_second

    def on_start(self):
        self.me = customer()
        self.others = [c["wallet_code"] for c in PEOPLE["customers"] if c is not self.me]
        self.api_headers = {"Authorization": f"Bearer {self.me['token']}"}
        self.cookie = {"Cookie": f"sessionid={self.me['session']}"}

    def v1_post(self, path: str, body: dict, name: str):
        """A money request to the v1 API with this customer's token."""
        return checked(
            self.client.post,
            f"/wallet/api/v1/me/{path}/",
            json=body,
            headers=self.api_headers,
            name=name,
        )


class Browsing(Customer):
    """Dashboard and history (the history from the replica, when it is fresh)."""

    @task(2)
    def dashboard(self):
        checked(self.client.get, "/wallet/", headers=self.cookie, name="dashboard")

    @task(1)
    def history(self):
        checked(self.client.get, "/wallet/transactions/", headers=self.cookie, name="history")


class Transfers(Customer):
    """v1 transfers with a money token and the PIN."""

    @task
    def transfer(self):
        body = {"recipient": random.choice(self.others), "amount": "1.00", "pin": self.me["pin"]}
        self.v1_post("transfers", body, "v1 transfer")


class TopUps(Customer):
    """Card top-ups: the checkout is started at the wallet, paid at the sandbox, and credited
    by the charge.success webhook the sandbox sends through HAProxy."""

    @task
    def top_up(self):
        answer = self.v1_post("deposits", {"amount": "100.00"}, "v1 deposit")
        if answer.status_code != 201:
            return
        code = answer.json()["authorization_url"].rstrip("/").rsplit("/", 1)[-1]
        checked(
            self.client.post,
            f"{SANDBOX}/_sandbox/checkout/{code}/pay",
            json={"card": TEST_CARD},
            name="(sandbox) pay",
        )


class Withdrawals(Customer):
    @task
    def withdraw(self):
        body = {
            "bank_account_id": self.me["bank_account_id"],
            "amount": "100.00",
            "pin": self.me["pin"],
        }
        self.v1_post("withdrawals", body, "v1 withdrawal")


class Staff(HttpUser):
    """Staff opening back-office lists (read from the replica)."""

    wait_time = once_a_second
    pages = ["/admin/wallet/transaction/", "/admin/wallet/payout/", "/admin/wallet/webhookevent/"]

    def on_start(self):
        self.cookie = {"Cookie": f"sessionid={PEOPLE['staff']['session']}"}

    @task
    def open_list(self):
        page = random.choice(self.pages)
        checked(self.client.get, page, headers=self.cookie, name="back-office list")


SCENARIOS = {
    "browsing": Browsing,
    "transfers": Transfers,
    "top-ups": TopUps,
    "withdrawals": Withdrawals,
    "staff lists": Staff,
}
# Money each scenario request moves, for the fault run's table.
AMOUNTS = {"v1 transfer": Decimal("1.00"), "v1 deposit": Decimal("100.00")}
