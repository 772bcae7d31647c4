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
    on both sides, is not opened again: they have accepted it. A few queries per run, not
    per finding."""
    findings = {_key(finding): finding for finding in findings}
    known = ReconciliationMismatch.objects.filter(
        reference__in={finding.reference for finding in findings.values()}
    )
    open_ones, accepted = {}, set()
    for mismatch in known:
        key = (mismatch.record, mismatch.reference, mismatch.kind)
        if mismatch.is_open:
            open_ones[key] = mismatch
        else:
            accepted.add((*key, mismatch.ours, mismatch.theirs))
    fresh, seen = [], []
    for key, finding in findings.items():
        if (*key, finding.ours[:100], finding.theirs[:100]) in accepted:
            continue
        if key in open_ones:
            seen.append(_seen_again(open_ones[key], run, finding))
        else:
            fresh.append(ReconciliationMismatch(found_by_run=run, **_fields(run, finding)))
    ReconciliationMismatch.objects.bulk_update(seen, SEEN_FIELDS, batch_size=500)
    _create(run, fresh)
    return len(seen) + len(fresh)


SEEN_FIELDS = ["ours", "theirs", "detail", "transaction", "last_seen_run"]


def _key(finding: Finding) -> tuple:
    return (finding.record, finding.reference, finding.kind)


def _fields(run, finding: Finding) -> dict:
    return {
        "record": finding.record,
        "reference": finding.reference,
        "kind": finding.kind,
        "ours": finding.ours[:100],
        "theirs": finding.theirs[:100],
        "detail": finding.detail,
        "transaction": finding.transaction,
        "last_seen_run": run,
    }


def _seen_again(mismatch, run, finding: Finding) -> ReconciliationMismatch:
    for name, value in _fields(run, finding).items():
        setattr(mismatch, name, value)
    return mismatch


def _create(run, fresh) -> None:
    try:
        with db.atomic():
            ReconciliationMismatch.objects.bulk_create(fresh, batch_size=500)
    except IntegrityError:  # another run recorded some a moment ago: keep theirs, one by one
        for mismatch in fresh:
            _keep_one(run, mismatch)


def _keep_one(run, mismatch: ReconciliationMismatch) -> None:
    open_mismatches = ReconciliationMismatch.objects.filter(
        status=ReconciliationMismatch.Status.OPEN,
        record=mismatch.record,
        reference=mismatch.reference,
        kind=mismatch.kind,
    )
    seen = {name: getattr(mismatch, name) for name in SEEN_FIELDS}
    if open_mismatches.update(**seen):
        return
    try:
        with db.atomic():
            mismatch.pk = None
            mismatch.save()
    except IntegrityError:
        open_mismatches.update(**seen)
