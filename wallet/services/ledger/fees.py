"""Fees are decided here, on the server, from the FeeRule table staff edit in the back office."""

import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from wallet.models import FeeBearer, FeeRule
from wallet.services.ledger.limits import CENT

ZERO = Decimal("0.00")
# Fee rules change rarely (staff edits); each process re-reads them at most this often.
RULES_TTL_SECONDS = 30
_rules_cache: dict[str, tuple[float, list[FeeRule]]] = {}


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    bearer: str = FeeBearer.CUSTOMER

    @property
    def paid_by_sender(self) -> Decimal:
        return self.amount if self.bearer == FeeBearer.CUSTOMER else ZERO

    @property
    def paid_by_recipient(self) -> Decimal:
        return self.amount if self.bearer == FeeBearer.RECIPIENT else ZERO


def compute_fee(*, transaction_type: str, amount: Decimal) -> Fee:
    """The fee for `amount` under the active rule whose band holds it (no rule: free)."""
    rule = next((r for r in active_rules(transaction_type) if r.covers(amount)), None)
    if rule is None:
        return Fee(ZERO)
    fee = rule.flat + amount * rule.percentage / Decimal(100)
    fee = max(fee, rule.minimum)
    if rule.cap is not None:
        fee = min(fee, rule.cap)
    return Fee(fee.quantize(CENT, rounding=ROUND_HALF_UP), rule.bearer)


def active_rules(transaction_type: str) -> list[FeeRule]:
    cached = _rules_cache.get(transaction_type)
    if cached is None or time.monotonic() - cached[0] > RULES_TTL_SECONDS:
        rules = list(FeeRule.objects.filter(transaction_type=transaction_type, is_active=True))
        cached = _rules_cache[transaction_type] = (time.monotonic(), rules)
    return cached[1]


def forget_cached_rules(**kwargs) -> None:
    """Connected to FeeRule saves and deletes so an edit applies at once in this process
    (again after commit, so a rule read while the edit was uncommitted is not kept)."""
    _rules_cache.clear()
    # Outside a transaction on_commit would clear at once (done above) and would open a
    # connection, which tests without database access forbid.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_rules_cache.clear)


def clear_rule_cache() -> None:
    _rules_cache.clear()
