"""Locust scenarios from real use of the wallet, against the cluster (deploy/cluster.py).

Run by bench/cluster_load.py (open-loop rising rates, CPU per part, faults); by hand:

    LOAD_PEOPLE=var/cluster/people.json .venv/bin/locust -f bench/locustfile.py \
        --host http://127.0.0.1:PORT --headless -u 10 -r 10 -t 30s Browsing

LOAD_PEOPLE is the JSON that `python -m deploy.customers` writes (sessions, tokens, PINs).
Every user issues one request a second (constant_throughput(1)), so N users offer N requests a
second whatever the answers take: open-loop for as long as answers come within a second.
Each user starts at a random moment of the first second, so the requests are spread over it.
Only loopback addresses are ever used. Browser cookies are sent as plain headers: the cluster
runs with DEBUG off, whose session cookie is Secure, and the load runs over plain HTTP.
"""

import itertools
import json
import os
import random
from decimal import Decimal

import gevent
from locust import HttpUser, constant_throughput, task

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
        return " ".join(answer.text.split())[:80]
    if isinstance(body, dict):
        return str(body.get("code") or body.get("error") or body.get("detail") or body)[:80]
    return str(body)[:80]


def customer():
    customers = PEOPLE["customers"]
    return customers[next(_next_customer) % len(customers)]


def spread_over_a_second():
    """Each user starts at its own moment of the second, so N users offer N requests a second
    spread over it, not all at once: Locust spawns a step's users together, and
    constant_throughput keeps each user's phase, so without this every second began with a
    burst of N requests (the tables before 2026-12-05, later, measured those bursts)."""
    gevent.sleep(random.random())


class Customer(HttpUser):
    abstract = True
    wait_time = constant_throughput(1)

    def on_start(self):
        spread_over_a_second()
        self.me = customer()
        self.others = [c["wallet_code"] for c in PEOPLE["customers"] if c is not self.me]
        self.api_headers = {"Authorization": f"Bearer {self.me['token']}"}
        self.cookie = {"Cookie": f"sessionid={self.me['session']}"}


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
        checked(
            self.client.post,
            "/wallet/api/v1/me/transfers/",
            json=body,
            headers=self.api_headers,
            name="v1 transfer",
        )


class TopUps(Customer):
    """Card top-ups: the checkout is started at the wallet, paid at the sandbox, and credited
    by the charge.success webhook the sandbox sends through HAProxy."""

    @task
    def top_up(self):
        answer = checked(
            self.client.post,
            "/wallet/api/v1/me/deposits/",
            json={"amount": "100.00"},
            headers=self.api_headers,
            name="v1 deposit",
        )
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
        checked(
            self.client.post,
            "/wallet/api/v1/me/withdrawals/",
            json=body,
            headers=self.api_headers,
            name="v1 withdrawal",
        )


class Staff(HttpUser):
    """Staff opening back-office lists (read from the replica)."""

    wait_time = constant_throughput(1)
    pages = ["/admin/wallet/transaction/", "/admin/wallet/payout/", "/admin/wallet/webhookevent/"]

    def on_start(self):
        spread_over_a_second()
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
