"""Transaction history: filters, search, keyset pagination, a receipt per transaction, CSV.

Pages move by cursor (?after= older, ?before= newer) rather than by page number, so the
100,000th row costs what the first does. One view serves the page and, for htmx, the list.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wallet import selectors
from wallet.dates import DayField
from wallet.models import TransactionStatus, TransactionType
from wallet.selectors.disputes import dispute_for_transaction
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import ADJUSTMENT_DESCRIPTION, REVERSAL_DESCRIPTION

# The words customers use (issue 23); the values stay the model's (and the guide's).
CUSTOMER_TYPE_LABELS = [
    (value, {"settlement": "Auto-withdraw", "adjustment": "Correction"}.get(value, label))
    for value, label in TransactionType.choices
]
CUSTOMER_STATUS_LABELS = [
    (TransactionStatus.PENDING, "Not finished yet"),
    (TransactionStatus.PROCESSING, "Processing"),
    (TransactionStatus.OTP, "Waiting for approval"),
    (TransactionStatus.SUCCESS, "Successful"),
    (TransactionStatus.FAILED, "Not completed"),
    (TransactionStatus.REVERSED, "Reversed"),
    (TransactionStatus.ABANDONED, "Not completed (payment page closed)"),
]


class HistoryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *CUSTOMER_TYPE_LABELS]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *CUSTOMER_STATUS_LABELS]
    )
    start = DayField(label="From", required=False)
    end = DayField(label="To", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Reference or description", "type": "search"}
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        return cleaned

    def filters(self) -> selectors.HistoryFilters:
        """The valid filters; an invalid field is ignored (and shown with its error)."""
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.HistoryFilters(
            transaction_type=data.get("type") or "",
            status=data.get("status") or "",
            start=data.get("start"),
            end=data.get("end"),
            search=(data.get("q") or "").strip(),
        )


def _filter_query(request) -> str:
    """The current filters as a query string, without the paging cursors."""
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    return params.urlencode()


@login_required
@require_GET
@vary_on_headers("HX-Request")
def history(request):
    wallet = WalletService().get_wallet(request.user)
    form = HistoryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.HistoryFilters()
    page = selectors.history_page(
        wallet=wallet,
        filters=filters,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    context = {
        "wallet": wallet,
        "form": form,
        "page": page,
        "filtered": filters.active,
        "filter_query": _filter_query(request),
    }
    template = "wallet/history/history.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    status = 422 if form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


@login_required
@require_GET
def transaction_detail(request, pk):
    wallet = WalletService().get_wallet(request.user)
    transaction = selectors.transaction_for_wallet(wallet=wallet, pk=pk)
    dispute = dispute_for_transaction(wallet=wallet, transaction=transaction)
    context = {"wallet": wallet, "tx": transaction, "dispute": dispute}
    return render(request, "wallet/history/receipt.html", context)


CSV_BATCH_ROWS = 500


def _csv_rows(rows):
    """CSV text in batches of rows (one yield per batch keeps streaming overhead low)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = selectors.EXPORT_COLUMNS
    writer.writerow([*(column.replace("_", " ").title() for column in columns), "Counterparty"])
    created, description, completed, kind = (
        columns.index("created_at"),
        columns.index("description"),
        columns.index("completed_at"),
        columns.index("transaction_type"),
    )
    zone = timezone.get_current_timezone()  # once: each lookup costs more than the row's work
    for count, full_row in enumerate(rows, start=1):
        row = list(full_row[: len(columns)])
        row.append(_defuse_formula(_counterparty(*full_row[len(columns) :])))
        row[created] = _local_time(row[created], zone)
        row[completed] = _local_time(row[completed], zone)
        if row[kind] == TransactionType.REVERSAL:  # its own text names staff and references
            row[description] = REVERSAL_DESCRIPTION
        if row[kind] == TransactionType.ADJUSTMENT:  # its own text carries the staff reason
            row[description] = ADJUSTMENT_DESCRIPTION
        row[description] = _defuse_formula(row[description])
        writer.writerow(row)
        if count % CSV_BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _counterparty(first, last, handle, sender, account_name) -> str:
    name = f"{first or ''} {last or ''}".strip() or (f"@{handle}" if handle else "")
    return name or str(sender or "") or str(account_name or "")


def _local_time(value, zone):
    return value.astimezone(zone).isoformat(timespec="seconds") if value else ""


def _defuse_formula(text):
    """A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection)."""
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return f"'{text}"
    return text


def _is_number(text):
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


@login_required
@require_GET
def export_csv(request):
    wallet = WalletService().get_wallet(request.user)
    form = HistoryFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # A file cannot show the form's error, and an export of other rows than asked would mislead.
        reasons = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(
            f"The export's filters are not valid ({reasons}).", content_type="text/plain"
        )
    filters = form.filters() if form.is_bound else selectors.HistoryFilters()
    rows = selectors.transactions_for_export(wallet=wallet, filters=filters)
    response = StreamingHttpResponse(_csv_rows(rows), content_type="text/csv; charset=utf-8")
    scope = "filtered-transactions" if filters.active else "transactions"
    filename = f"wallet-{wallet.public_id}-{scope}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
