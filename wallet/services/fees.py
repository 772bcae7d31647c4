"""Fees are decided here, on the server, from the FeeRule table staff edit in the back office."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wallet.models import FeeBearer, FeeRule
from wallet.services.limits import CENT

ZERO = Decimal("0.00")


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
    rules = FeeRule.objects.filter(transaction_type=transaction_type, is_active=True)
    rule = next((r for r in rules if r.covers(amount)), None)
    if rule is None:
        return Fee(ZERO)
    fee = rule.flat + amount * rule.percentage / Decimal(100)
    fee = max(fee, rule.minimum)
    if rule.cap is not None:
        fee = min(fee, rule.cap)
    return Fee(fee.quantize(CENT, rounding=ROUND_HALF_UP), rule.bearer)
