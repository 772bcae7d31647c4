"""The dispute reconcile job: asks Paystack for its disputes and applies each (a webhook lost,
late or refused finds its way here), asks about every open dispute of ours Paystack did not
list, then takes outstanding exposure from wallets that have money again."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from wallet.exceptions import PaystackAPIError
from wallet.models import Dispute
from wallet.services.disputes import money
from wallet.services.disputes.events import apply_paystack_dispute

logger = logging.getLogger(__name__)
LOOK_BACK = timedelta(days=120)  # card schemes allow disputes for about this long


@dataclass
class SyncReport:
    listed: int = 0
    opened: int = 0
    resolved: int = 0
    not_ours: int = 0
    recovered: Decimal = Decimal("0.00")
    errors: list[str] = field(default_factory=list)


def sync_disputes(paystack=None, *, since=None, per_page: int = 100) -> SyncReport:
    """Apply Paystack's dispute list (created since `since`, default LOOK_BACK ago) and each
    open dispute of ours it did not list. Idempotent: each dispute moves money once."""
    if paystack is None:
        from wallet.paystack import PaystackClient

        paystack = PaystackClient()
    report = SyncReport()
    since = since or timezone.now() - LOOK_BACK
    seen = set()
    try:
        for item in paystack.iter_disputes(from_=since, per_page=per_page):
            report.listed += 1
            seen.add(str(item.get("id")))
            _apply(item, report)
    except PaystackAPIError as error:
        report.errors.append(f"list: {error.message}")
    for dispute in Dispute.objects.filter(status=Dispute.Status.OPEN).exclude(
        paystack_id__in=[int(s) for s in seen if s.isdigit()]
    ):
        try:
            _apply(paystack.fetch_dispute(dispute.paystack_id), report)
        except PaystackAPIError as error:
            report.errors.append(f"dispute {dispute.paystack_id}: {error.message}")
    report.recovered = money.recover_all()
    logger.info("Dispute sync: %s", report)
    return report


def _apply(item, report):
    before = Dispute.objects.filter(paystack_id=_id(item)).values_list("status", flat=True).first()
    dispute = apply_paystack_dispute(item or {})
    if dispute is None:
        report.not_ours += 1
        return
    if before is None:
        report.opened += 1
    if before in (None, Dispute.Status.OPEN) and not dispute.is_open:
        report.resolved += 1


def _id(item):
    value = str((item or {}).get("id") or "")
    return int(value) if value.isdigit() and len(value) < 19 else -1
