from tests.payouts.conftest import (  # noqa: F401  (fixtures)
    add_account,
    funded_wallet,
    payout_fee_rules,
    payouts_service,
    synced_banks,
)
