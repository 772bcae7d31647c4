"""Tier upgrades through Paystack's customer identification.

Tier 2 needs a BVN (11 digits) and a date of birth; Tier 3 a NIN (11 digits) or a document that
staff review. The number goes to Paystack once, in the request, and is never stored, logged or
shown again: the row keeps its last 4 digits. Paystack answers later with a
`customeridentification.success` (the wallet moves up) or `.failed` webhook (it stays); both
are recorded on the CustomerIdentification row.
"""

import datetime as dt
import logging
import re

from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import IdentificationFailed, PaystackAPIError, WalletError
from wallet.models import CustomerIdentification, DedicatedAccount, TierChange
from wallet.services.outflows.tiers import move_wallet_to_tier

logger = logging.getLogger(__name__)

ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
Kind = CustomerIdentification.Kind
Status = CustomerIdentification.Status
TARGET_LEVEL = {Kind.BVN: 2, Kind.NIN: 3}


def request_identification(
    client, *, wallet, kind: str, number: str, date_of_birth: dt.date | None = None
) -> CustomerIdentification:
    """Send the customer's BVN (with date of birth) or NIN to Paystack for verification.
    Raises WalletError for bad input, IdentificationFailed when Paystack refuses or is down."""
    number = _eleven_digits(number, kind)
    level = TARGET_LEVEL.get(kind)
    if level is None:
        raise WalletError("Choose BVN (Tier 2) or NIN (Tier 3).")
    if wallet.tier >= level:
        raise WalletError(f"Your wallet is already in Tier {wallet.tier}.")
    if kind == Kind.BVN and date_of_birth is None:
        raise WalletError("Enter your date of birth as your bank has it.")
    code = customer_code_for(client, wallet)
    user = wallet.user
    try:
        client.validate_customer(
            code,
            country="NG",
            type=kind,
            value=number,
            first_name=user.first_name or None,
            last_name=user.last_name or None,
            dob=date_of_birth.isoformat() if date_of_birth else None,
        )
    except PaystackAPIError as error:
        # The message is Paystack's, never the number we sent.
        logger.warning("identification request for wallet %s refused: %s", wallet.pk, error)
        raise IdentificationFailed()
    return CustomerIdentification.objects.create(
        wallet=wallet,
        kind=kind,
        target_level=level,
        customer_code=code,
        number_last4=number[-4:],
    )


def _eleven_digits(number, kind) -> str:
    number = (number or "").strip() if isinstance(number, str) else ""
    if not ELEVEN_DIGITS.fullmatch(number):
        label = "BVN" if kind == Kind.BVN else "NIN"
        raise WalletError(f"Your {label} is 11 digits.")
    return number


def customer_code_for(client, wallet) -> str:
    """The wallet's Paystack customer (from its dedicated account or an earlier request),
    created when it has none."""
    known = DedicatedAccount.objects.filter(wallet=wallet).values_list("customer_code", flat=True)
    known = known.first() or wallet.identifications.values_list("customer_code", flat=True).first()
    if known:
        return known
    user = wallet.user
    try:
        customer = client.create_customer(
            email=user.email, first_name=user.first_name or None, last_name=user.last_name or None
        )
    except PaystackAPIError:
        raise IdentificationFailed()
    return customer["customer_code"]


def apply_identification_event(event_name: str, data: dict):
    """A customeridentification.success / .failed webhook: settle the customer's pending
    request (once: a settled row never changes). Returns the row, or None if none is pending."""
    code = str((data or {}).get("customer_code") or "")
    success = event_name == "customeridentification.success"
    with db.atomic():
        pending = (
            CustomerIdentification.objects.select_for_update()
            .filter(customer_code=code, status=Status.PENDING)
            .select_related("wallet")
            .order_by("created_at")
            .first()
        )
        if pending is None:
            return None
        pending.status = Status.SUCCESS if success else Status.FAILED
        pending.reason = "" if success else str(data.get("reason") or "Not verified.")[:300]
        pending.decided_at = timezone.now()
        pending.save(update_fields=["status", "reason", "decided_at"])
        if success and pending.wallet.tier < pending.target_level:
            move_wallet_to_tier(
                pending.wallet,
                pending.target_level,
                source=TierChange.Source.IDENTIFICATION,
                reason=f"{pending.get_kind_display()} ••••{pending.number_last4} verified",
            )
    return pending
