"""A difference found between a Paystack record and ours, and how it is kept: at most one open
mismatch per (record, reference, kind), so running a period again finds the same mismatch
(its `last_seen_run` moves on) rather than adding a copy."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError
from django.db import transaction as db

from wallet.models import ReconciliationMismatch, ReconciliationRun, Transaction

Kind = ReconciliationMismatch.Kind


@dataclass(frozen=True)
class Finding:
    record: str
    reference: str
    kind: str
    ours: str = ""
    theirs: str = ""
    detail: dict = field(default_factory=dict)
    transaction: Transaction | None = None


def differences(record, reference, *, ours, theirs, transaction, detail=None):
    """The findings for one record both sides have: amount, currency, status.

    `ours` / `theirs` are (amount: Decimal | None, currency, status) with the statuses already
    in our words; an amount Paystack did not give (None) is not compared.
    """
    found = []
    names = ((Kind.AMOUNT, 0), (Kind.CURRENCY, 1), (Kind.STATUS, 2))
    for kind, index in names:
        if theirs[index] is None or ours[index] == theirs[index]:
            continue
        found.append(
            Finding(
                record=record,
                reference=reference,
                kind=kind,
                ours=_written(ours[index]),
                theirs=_written(theirs[index]),
                detail=detail or {},
                transaction=transaction,
            )
        )
    return found


def _written(value) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def record_findings(run: ReconciliationRun, findings) -> int:
    """Keep each finding as an open mismatch (new, or the open one seen again); returns how
    many are open after this run. A difference staff already resolved, with the same values
    on both sides, is not opened again: they have accepted it."""
    count = 0
    for finding in findings:
        if not _already_resolved(finding):
            _keep(run, finding)
            count += 1
    return count


def _key(finding: Finding) -> dict:
    return {"record": finding.record, "reference": finding.reference, "kind": finding.kind}


def _already_resolved(finding: Finding) -> bool:
    return ReconciliationMismatch.objects.filter(
        status=ReconciliationMismatch.Status.RESOLVED,
        ours=finding.ours[:100],
        theirs=finding.theirs[:100],
        **_key(finding),
    ).exists()


def _keep(run, finding: Finding) -> ReconciliationMismatch:
    key = _key(finding)
    seen = {
        "ours": finding.ours[:100],
        "theirs": finding.theirs[:100],
        "detail": finding.detail,
        "transaction": finding.transaction,
        "last_seen_run": run,
    }
    open_mismatches = ReconciliationMismatch.objects.filter(
        status=ReconciliationMismatch.Status.OPEN, **key
    )
    if open_mismatches.update(**seen):
        return open_mismatches.get()
    try:
        with db.atomic():
            return ReconciliationMismatch.objects.create(found_by_run=run, **key, **seen)
    except IntegrityError:  # another run recorded it a moment ago: that one is kept
        open_mismatches.update(**seen)
        return open_mismatches.get()
