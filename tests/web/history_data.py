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
