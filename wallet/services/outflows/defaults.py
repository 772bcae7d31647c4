"""The Central Bank of Nigeria's tiered KYC, as the tiers a fresh database starts with.

Migration 0008 writes these rows; staff change them afterwards in the back office.
"""

from decimal import Decimal

DEFAULT_TIERS = (
    {
        "level": 1,
        "name": "Tier 1",
        "daily_limit": Decimal("50000.00"),
        "single_limit": Decimal("50000.00"),
        "balance_cap": Decimal("300000.00"),
    },
    {
        "level": 2,
        "name": "Tier 2",
        "daily_limit": Decimal("200000.00"),
        "single_limit": Decimal("200000.00"),
        "balance_cap": Decimal("500000.00"),
    },
    {
        "level": 3,
        "name": "Tier 3",
        "daily_limit": Decimal("5000000.00"),
        "single_limit": Decimal("5000000.00"),
        "balance_cap": None,
    },
)
