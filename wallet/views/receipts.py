"""A receipt to share: a phone-sized PNG (for WhatsApp) or PDF, with no internal ids.

Both are drawn from the same few lines — what happened, how much, when, to or from whom, the
customer-facing reference — so the image and the PDF can never disagree. Wallet and row ids
stay out: a receipt proves a payment, it does not describe our database.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from wallet import selectors
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import (
    customer_description,
    customer_status,
    money_moved,
    money_outcome,
    person_name,
    transaction_title,
)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
IMAGE_WIDTH, MARGIN = 720, 48  # a phone screen's width at 2x: sharp on WhatsApp, small file
INK, MUTED, RECEIVED = "#111827", "#5b6778", "#0b7a5f"


@dataclass(frozen=True)
class ReceiptFacts:
    title: str
    amount: str
    outcome: str
    lines: list[tuple[str, str]]
    direction: str = "credit"


def receipt_facts(tx, user) -> ReceiptFacts:
    local = timezone.localtime(tx.created_at)
    lines = [
        ("Status", customer_status(tx)),
        ("Date", f"{local.day} {local:%b %Y, %H:%M}"),
        ("Reference", tx.reference),
    ]
    if tx.counterparty_wallet_id:
        label = "To" if tx.direction == "debit" else "From"
        lines.append((label, person_name(tx.counterparty_wallet.user)))
    if description := customer_description(tx):
        lines.append(("For", description))
    if tx.direction == "debit" and tx.fee:
        lines.append(("Fee", f"₦{tx.fee:,.2f}"))
    lines.append(("Account holder", person_name(user)))
    outcome = money_outcome(tx)
    return ReceiptFacts(transaction_title(tx), _signed(tx, outcome), outcome, lines, tx.direction)


def _signed(tx, outcome) -> str:
    """The amount as the receipt page shows it: −₦2,000.00 sent, +₦2,000.00 received, and
    unsigned when no money moved (the outcome line says what happened instead)."""
    if outcome:
        return money_moved(tx)
    return ("−" if tx.direction == "debit" else "+") + money_moved(tx)


def _headline(facts: ReceiptFacts) -> str:
    if facts.outcome:
        return facts.outcome
    return "Money sent" if facts.direction == "debit" else "Money received"


def _amount_colour(facts: ReceiptFacts) -> str:
    if facts.outcome:
        return MUTED
    return RECEIVED if facts.direction == "credit" else INK


def _font(size, bold=False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)


def receipt_png(facts: ReceiptFacts) -> bytes:
    rows = len(facts.lines)
    image = Image.new("RGB", (IMAGE_WIDTH, 330 + rows * 74 + 90), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, IMAGE_WIDTH, 12), fill="#0b7a5f")
    draw.text((MARGIN, 44), "Paystack Wallet · Receipt", font=_font(24), fill="#5b6778")
    draw.text((MARGIN, 90), facts.title, font=_font(36, bold=True), fill="#111827")
    draw.text((MARGIN, 150), facts.amount, font=_font(56, bold=True), fill=_amount_colour(facts))
    draw.text((MARGIN, 230), _headline(facts), font=_font(26), fill=MUTED)
    y = 300
    for label, value in facts.lines:
        draw.text((MARGIN, y), label, font=_font(22), fill="#5b6778")
        draw.text((MARGIN, y + 28), value[:48], font=_font(28), fill="#111827")
        y += 74
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def receipt_pdf(facts: ReceiptFacts) -> bytes:
    pdf = FPDF(unit="mm", format=(90, 150 + 12 * len(facts.lines)))  # a phone-shaped page
    pdf.set_margins(8, 8)
    family = "Helvetica"
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        family = "DejaVu"
    pdf.add_page()
    pdf.set_title(f"Receipt {facts.title}")
    _pdf_line(pdf, family, 9, "Paystack Wallet · Receipt")
    _pdf_line(pdf, family, 14, facts.title, bold=True)
    _pdf_line(pdf, family, 20, facts.amount, bold=True)
    _pdf_line(pdf, family, 10, _headline(facts))
    pdf.ln(3)
    for label, value in facts.lines:
        _pdf_line(pdf, family, 8, label)
        _pdf_line(pdf, family, 11, value)
        pdf.ln(1.5)
    return bytes(pdf.output())


def _pdf_line(pdf, family, size, text, bold=False):
    if family != "DejaVu":  # core fonts are latin-1 only
        text = text.replace("₦", "NGN ").replace("−", "-").replace("·", "-")
    pdf.set_font(family, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _own_transaction(request, pk):
    wallet = WalletService().get_wallet(request.user)
    return selectors.transaction_for_wallet(wallet=wallet, pk=pk)


@login_required
@require_GET
def receipt_image(request, pk):
    tx = _own_transaction(request, pk)
    png = receipt_png(receipt_facts(tx, request.user))
    return _attachment(png, "image/png", f"receipt-{tx.reference}.png")


@login_required
@require_GET
def receipt_document(request, pk):
    tx = _own_transaction(request, pk)
    pdf = receipt_pdf(receipt_facts(tx, request.user))
    return _attachment(pdf, "application/pdf", f"receipt-{tx.reference}.pdf")
