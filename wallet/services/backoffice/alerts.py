"""Alerts: what is past its threshold now (each item with its age), and the digest e-mail sent
to OPS_ALERT_EMAILS when something newly crosses one, then nothing more until the set changes.

Thresholds (settings): a payout in flight for more than BACKOFFICE_STUCK_PAYOUT_MINUTES, a
charge pending for more than BACKOFFICE_ALERT_CHARGE_MINUTES, any open reconciliation
mismatch, a failed last ledger check, more than BACKOFFICE_ALERT_WEBHOOKS_PER_HOUR failed
or refused webhook events in the last hour, and an open card-payment dispute due within
BACKOFFICE_ALERT_DISPUTE_HOURS (unanswered by its due date, it is lost by default).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from wallet.dates import lagos_time
from wallet.models import (
    IN_FLIGHT_STATUSES,
    PAYOUT_TYPES,
    AlertDigest,
    Dispute,
    LedgerCheck,
    ReconciliationMismatch,
    Transaction,
    TransactionStatus,
    TransactionType,
    WebhookEvent,
)

PER_CLASS = 50  # each class lists at most this many items (the oldest first)


@dataclass(frozen=True)
class Alert:
    key: str  # stable identity: the digest compares these
    kind: str
    label: str
    since: dt.datetime

    def age(self, now: dt.datetime) -> str:
        return age_text(now - self.since)


def age_text(delta: dt.timedelta) -> str:
    """ "3 h 05 min", "12 min", "2 d 4 h": how long an item has waited."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


def payout_overdue_before(now):
    return now - dt.timedelta(minutes=settings.BACKOFFICE_STUCK_PAYOUT_MINUTES)


def charge_overdue_before(now):
    return now - dt.timedelta(minutes=settings.BACKOFFICE_ALERT_CHARGE_MINUTES)


def current_alerts(now: dt.datetime | None = None) -> list[Alert]:
    """Everything past its threshold now (a bounded number of queries and rows)."""
    now = now or timezone.now()
    return [
        *_overdue_money(now),
        *_open_mismatches(),
        *_failed_ledger_check(),
        *_webhook_rate(now),
        *_disputes_due(now),
    ]


def _overdue_money(now) -> list[Alert]:
    payouts = Q(transaction_type__in=PAYOUT_TYPES, created_at__lt=payout_overdue_before(now))
    charges = Q(
        transaction_type=TransactionType.DEPOSIT,
        status=TransactionStatus.PENDING,
        created_at__lt=charge_overdue_before(now),
    )
    rows = (
        Transaction.objects.filter(status__in=IN_FLIGHT_STATUSES)
        .filter(payouts | charges)
        .order_by("created_at")
        .values_list("reference", "transaction_type", "created_at")[: PER_CLASS * 2]
    )
    alerts = []
    for reference, kind, created_at in rows:
        if kind == TransactionType.DEPOSIT:
            alerts.append(
                Alert(f"charge:{reference}", "charge", f"Charge {reference} pending", created_at)
            )
        else:
            alerts.append(
                Alert(f"payout:{reference}", "payout", f"Payout {reference} in flight", created_at)
            )
    return alerts


def _open_mismatches() -> list[Alert]:
    rows = ReconciliationMismatch.objects.open().order_by("created_at")[:PER_CLASS]
    return [Alert(f"mismatch:{m.pk}", "mismatch", f"Mismatch: {m}", m.created_at) for m in rows]


def _failed_ledger_check() -> list[Alert]:
    last = LedgerCheck.objects.order_by("-ran_at").first()
    if last is None or last.ok:
        return []
    return [Alert(f"ledger-check:{last.pk}", "ledger", "The last ledger check failed", last.ran_at)]


def _webhook_rate(now) -> list[Alert]:
    since = now - dt.timedelta(hours=1)
    bad = WebhookEvent.objects.filter(
        status__in=[WebhookEvent.Status.FAILED, WebhookEvent.Status.REFUSED], updated_at__gte=since
    )
    count = bad.count()
    if count <= settings.BACKOFFICE_ALERT_WEBHOOKS_PER_HOUR:
        return []
    oldest = bad.order_by("updated_at").values_list("updated_at", flat=True).first() or since
    label = f"{count} webhook event{'s' if count != 1 else ''} failed or refused in the last hour"
    return [Alert("webhooks:rate", "webhooks", label, oldest)]


def _disputes_due(now) -> list[Alert]:
    soon = now + dt.timedelta(hours=settings.BACKOFFICE_ALERT_DISPUTE_HOURS)
    rows = (
        Dispute.objects.filter(status=Dispute.Status.OPEN, due_at__lte=soon)
        .order_by("due_at")
        .values_list("pk", "paystack_id", "due_at", "opened_at")[:PER_CLASS]
    )
    return [
        Alert(f"dispute:{pk}", "dispute", f"Dispute {paystack_id} due {lagos_time(due)}", opened)
        for pk, paystack_id, due, opened in rows
    ]


def send_digest_if_changed(now: dt.datetime | None = None) -> int:
    """E-mail one digest when an alert is new since the last recorded set; record the set when
    it changes (so an alert that clears and comes back is new again). Returns e-mails sent."""
    now = now or timezone.now()
    alerts = current_alerts(now)
    keys = sorted({a.key for a in alerts})
    last = AlertDigest.objects.order_by("-created_at", "-id").first()
    previous = set(last.keys) if last else set()
    if set(keys) == previous:
        return 0
    new = [a for a in alerts if a.key not in previous]
    recipients = list(settings.OPS_ALERT_EMAILS)
    body = digest_body(alerts, new, now)
    sent = 0
    if new and recipients:
        sent = send_mail(
            f"Wallet back office: {len(new)} new alert{'s' if len(new) != 1 else ''}",
            body, None, recipients,
        )  # fmt: skip
    AlertDigest.objects.create(
        keys=keys, body=body if sent else "", recipients=",".join(recipients) if sent else ""
    )
    return sent


def digest_body(alerts: list[Alert], new: list[Alert], now: dt.datetime) -> str:
    lines = [f"Alerts at {lagos_time(now)}.", "", "New since the last digest:"]
    lines += [f"- {a.label} (waiting {a.age(now)})" for a in new]
    older = [a for a in alerts if a not in new]
    if older:
        lines += ["", "Still open:"] + [f"- {a.label} (waiting {a.age(now)})" for a in older]
    lines += ["", "Open the back office to act on them."]
    return "\n".join(lines)
