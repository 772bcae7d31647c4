"""Histories for page tests, posted through the real services."""

from decimal import Decimal

from wallet.services.wallet_service import WalletService


def post_transfers(source, destination, count, amount="10.00", description="Lunch"):
    service = WalletService()
    return [
        service.transfer(
            source_wallet=source,
            destination_wallet=destination,
            amount=Decimal(amount),
            description=f"{description} {index}",
        )
        for index in range(count)
    ]


PAYOUT_FEES = [
    ("0.00", "5000.00", "10.00"),
    ("5000.01", "50000.00", "25.00"),
    ("50000.01", None, "50.00"),
]


def ensure_payout_fees():
    """The default withdrawal fees of migration 0002 (a transactional test may flush them)."""
    from wallet.models import FeeRule

    if not FeeRule.objects.filter(transaction_type="withdrawal").exists():
        for low, high, flat in PAYOUT_FEES:
            FeeRule.objects.create(
                transaction_type="withdrawal", min_amount=low, max_amount=high, flat=flat
            )
