"""Account statements: pick a date range, download a PDF (fpdf2; no browser, no HTML->PDF).

Opening and closing balances come from the ledger, so a statement always adds up: opening +
money in - money out = closing, whatever the statuses of the rows listed.
"""

import datetime as dt
import logging
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from fpdf import FPDF

from wallet import selectors
from wallet.dates import DayField
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import (
    customer_description,
    money,
    money_outcome,
    transaction_title,
)

# fpdf2's font subsetting logs every glyph table at INFO; a statement is not news.
logging.getLogger("fontTools").setLevel(logging.WARNING)

MAX_DAYS = 366
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class StatementForm(forms.Form):
    start = DayField(label="From")
    end = DayField(label="To")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end date is before the start date.")
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", f"A statement covers at most {MAX_DAYS} days.")
            elif end > timezone.localdate():
                self.add_error("end", "The end date is in the future.")
        return cleaned


def _default_range(wallet):
    """Last calendar month: what people ask a statement for (rent, visa, loan applications).
    A wallet opened this month had no last month: from its first day to today instead."""
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    opened = timezone.localdate(wallet.created_at)
    if opened >= first_of_month:
        return {"start": opened, "end": today}
    last_of_previous = first_of_month - dt.timedelta(days=1)
    return {"start": last_of_previous.replace(day=1), "end": last_of_previous}


def _day(value) -> str:
    return f"{value.day} {value:%b %Y}"  # "1 Dec 2026", as on every page


def _moment(value) -> str:
    local = timezone.localtime(value)
    return f"{_day(local)}, {local:%H:%M}"  # "1 Dec 2026, 19:36"


@login_required
@require_GET
def statement(request):
    """The form (GET without dates) or the PDF (GET with a valid range)."""
    wallet = WalletService().get_wallet(request.user)
    if "start" not in request.GET:
        form = StatementForm(initial=_default_range(wallet))
        return render(request, "wallet/history/statement.html", {"form": form, "wallet": wallet})
    form = StatementForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "wallet": wallet}
        return render(request, "wallet/history/statement.html", context, status=422)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    data = selectors.statement_for_period(wallet=wallet, start=start, end=end)
    response = HttpResponse(
        StatementPDF(data, request.user).render(), content_type="application/pdf"
    )
    filename = f"statement-{wallet.public_id}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StatementPDF(FPDF):
    """An A4 statement: header, summary, one table row per transaction, page numbers."""

    COLUMNS = ("Date", "Details", "Reference", "Status", "In", "Out")
    WIDTHS = (24, 52, 46, 20, 24, 24)

    def __init__(self, data: selectors.Statement, user):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.data, self.user = data, user
        self.family = self._load_font()
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(f"Statement {data.start} to {data.end}")
        self.set_author("Paystack Wallet")

    def _load_font(self):
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold))
            return "DejaVu"
        return "Helvetica"  # core font: latin-1 only, so amounts are written "NGN 1,000.00"

    def _money(self, amount):
        text = money(amount, self.data.wallet.currency)
        return text if self.family == "DejaVu" else text.replace("₦", "NGN ").replace("−", "-")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(110)
        generated = _moment(self.data.generated_at)
        self.cell(0, 5, f"Generated {generated} · page {self.page_no()}/{{nb}}", align="C")

    def render(self) -> bytes:
        self.add_page()
        self._header_block()
        self._summary()
        self._table()
        return bytes(self.output())

    def _header_block(self):
        data, wallet = self.data, self.data.wallet
        self.set_font(self.family, "B", 16)
        self.cell(0, 9, "Account statement", new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, size=10)
        name = selectors.display_name(self.user)
        lines = [
            f"{name} · {self.user.email}",
            f"Wallet {wallet.public_code} ({wallet.currency})",
            f"Period: {_day(data.start)} to {_day(data.end)}",
        ]
        for line in lines:
            self.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def _summary(self):
        data = self.data
        rows = [
            ("Opening balance", data.opening_balance),
            ("Money in", data.money_in),
            ("Money out", data.money_out),
            ("Closing balance", data.closing_balance),
        ]
        self.set_font(self.family, size=10)
        with self.table(
            col_widths=(50, 40),
            width=90,
            align="LEFT",
            first_row_as_headings=False,
            text_align=("LEFT", "RIGHT"),
        ) as table:
            for label, amount in rows:
                row = table.row()
                row.cell(label)
                row.cell(self._money(amount))
        self.ln(6)

    def _table(self):
        transactions = self.data.transactions
        if not transactions:
            self.cell(0, 8, "No transactions in this period.", new_x="LMARGIN", new_y="NEXT")
            return
        self.set_font(self.family, size=8)
        align = ("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT")
        with self.table(col_widths=self.WIDTHS, text_align=align, line_height=4.5) as table:
            heading = table.row()
            for column in self.COLUMNS:
                heading.cell(column)
            for tx in transactions:
                self._transaction_row(table.row(), tx)
        if len(transactions) >= selectors.STATEMENT_MAX_ROWS:
            self.ln(3)
            self.cell(
                0,
                6,
                "Only the first rows fit in one statement: choose a shorter period "
                "or export CSV for the rest.",
                new_x="LMARGIN",
                new_y="NEXT",
            )

    def _transaction_row(self, row, tx):
        # A row that moved no money says so instead of filling In or Out (issue 15: honesty).
        outcome, description = money_outcome(tx), customer_description(tx)
        shown = outcome and f"{outcome}: {self._money(tx.amount)}"
        notes = [line for line in (description, shown) if line]
        credit = tx.direction == "credit" and not outcome
        debit = tx.direction == "debit" and not outcome
        row.cell(_moment(tx.created_at))
        row.cell("\n".join([transaction_title(tx), *notes]))
        row.cell(tx.reference)
        row.cell(tx.get_status_display())
        row.cell(self._money(tx.amount) if credit else "")
        row.cell(self._money(tx.amount + tx.fee) if debit else "")
