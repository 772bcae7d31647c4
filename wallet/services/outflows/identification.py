"""Tier upgrades.

- Tier 2: BVN (11 digits) and date of birth, checked through Paystack's customer
  identification. Paystack validates a BVN against one of the customer's bank accounts
  (`POST /customer/:code/identification`, type bank_account), answers 202, and later sends
  `customeridentification.success` (the wallet moves to Tier 2) or `.failed` (it stays).
- Tier 3: a NIN or a document, reviewed by staff (Paystack's identification takes no NIN):
  `decide_identification` approves or refuses, with a reason.

Every request and its outcome is a CustomerIdentification row. The BVN/NIN goes to Paystack
once, in the request, and is never stored, logged or shown again: the row keeps its last 4.
"""

import datetime as dt
import logging
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import IdentificationFailed, PaystackAPIError, WalletError
from wallet.models import CustomerIdentification, DedicatedAccount, TierChange
from wallet.services.outflows.tiers import move_wallet_to_tier

logger = logging.getLogger(__name__)

ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
Kind = CustomerIdentification.Kind
Status = CustomerIdentification.Status


def request_bvn_identification(
    client, *, wallet, bvn: str, date_of_birth: dt.date, bank_account
) -> CustomerIdentification:
    """Send the BVN, with one of the wallet's bank accounts, to Paystack for Tier 2.
    Raises WalletError for bad input, IdentificationFailed when Paystack refuses or is down."""
    bvn = _eleven_digits(bvn, "BVN")
    if wallet.tier >= 2:
        raise WalletError(f"Your wallet is already in Tier {wallet.tier}.")
    if date_of_birth is None or date_of_birth > timezone.localdate():
        raise WalletError("Enter your date of birth as your bank has it.")
    if bank_account is None or bank_account.wallet_id != wallet.pk:
        raise WalletError("Choose one of your bank accounts: the BVN is checked against it.")
    code = customer_code_for(client, wallet)
    first, last = _names(wallet.user, bank_account)
    try:
        client.validate_customer(
            code,
            country="NG",
            type="bank_account",
            account_number=bank_account.account_number,
            bvn=bvn,
            bank_code=bank_account.bank.code,
            first_name=first,
            last_name=last,
        )
    except PaystackAPIError as error:
        # Paystack's message is logged, never the number that was sent.
        logger.warning("identification request for wallet %s refused: %s", wallet.pk, error)
        raise IdentificationFailed()
    return CustomerIdentification.objects.create(
        wallet=wallet,
        kind=Kind.BVN,
        target_level=2,
        customer_code=code,
        number_last4=bvn[-4:],
        date_of_birth=date_of_birth,
    )


def request_nin_review(*, wallet, nin: str) -> CustomerIdentification:
    """Ask staff to move the wallet to Tier 3 on its NIN (Paystack does not check NINs)."""
    nin = _eleven_digits(nin, "NIN")
    if wallet.tier >= 3:
        raise WalletError("Your wallet is already in Tier 3.")
    if wallet.identifications.filter(kind=Kind.NIN, status=Status.PENDING).exists():
        raise WalletError("Your NIN is already waiting for review.")
    return CustomerIdentification.objects.create(
        wallet=wallet, kind=Kind.NIN, target_level=3, number_last4=nin[-4:]
    )


def decide_identification(identification, *, approve: bool, by, reason: str):
    """Staff approve (the wallet moves to the target tier) or refuse a NIN/document review.
    Raises PermissionDenied without override_tier, WalletError if already decided."""
    if not by.has_perm("wallet.override_tier"):
        raise PermissionDenied("You may not change a wallet's tier.")
    reason = (reason or "").strip()
    if not reason:
        raise WalletError("Give a reason: it is kept with the decision.")
    with db.atomic():
        row = CustomerIdentification.objects.select_for_update().get(pk=identification.pk)
        if row.status != Status.PENDING:
            raise WalletError("This request was already decided.")
        _settle(row, success=approve, reason="" if approve else reason, by=by)
        if approve:
            move_wallet_to_tier(
                row.wallet,
                row.target_level,
                source=TierChange.Source.STAFF,
                by=by,
                reason=reason,
            )
    return row


def _eleven_digits(number, label) -> str:
    number = number.strip() if isinstance(number, str) else ""
    if not ELEVEN_DIGITS.fullmatch(number):
        raise WalletError(f"Your {label} is 11 digits.")
    return number


def _names(user, bank_account) -> tuple[str, str]:
    if user.first_name and user.last_name:
        return user.first_name, user.last_name
    parts = bank_account.account_name.split()
    return (parts[0], parts[-1]) if len(parts) > 1 else (bank_account.account_name, "-")


def customer_code_for(client, wallet) -> str:
    """The wallet's Paystack customer (from its dedicated account or an earlier request),
    created when it has none."""
    known = DedicatedAccount.objects.filter(wallet=wallet).values_list("customer_code", flat=True)
    earlier = wallet.identifications.exclude(customer_code="")
    known = known.first() or earlier.values_list("customer_code", flat=True).first()
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
    """A customeridentification.success / .failed webhook: settle the customer's oldest
    pending BVN request (once: a settled row never changes). None if none is pending."""
    code = str((data or {}).get("customer_code") or "")
    success = event_name == "customeridentification.success"
    with db.atomic():
        pending = (
            CustomerIdentification.objects.select_for_update()
            .filter(customer_code=code, kind=Kind.BVN, status=Status.PENDING)
            .order_by("created_at")
            .first()
        )
        if pending is None or not code:
            return None
        reason = "" if success else str(data.get("reason") or "Not verified.")
        _settle(pending, success=success, reason=reason)
        if success and pending.wallet.tier < pending.target_level:
            move_wallet_to_tier(
                pending.wallet,
                pending.target_level,
                source=TierChange.Source.IDENTIFICATION,
                reason=f"BVN ••••{pending.number_last4} verified by Paystack",
            )
    return pending


def _settle(row, *, success: bool, reason: str, by=None) -> None:
    row.status = Status.SUCCESS if success else Status.FAILED
    row.reason = reason[:300]
    row.decided_at = timezone.now()
    row.decided_by = by
    row.save(update_fields=["status", "reason", "decided_at", "decided_by"])
