"""Server-rendered SVG charts: no JavaScript, no chart library, prints and scales cleanly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 180
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 8, 8, 12, 24


def _money(amount: Decimal) -> str:
    return f"₦{amount:,.2f}"


def _points(series: list[tuple[dt.date, Decimal]]) -> list[tuple[Decimal, Decimal]]:
    """Map (day, balance) to SVG coordinates; money stays Decimal until it becomes a pixel."""
    values = [balance for _day, balance in series]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    inner_w = Decimal(WIDTH - PAD_LEFT - PAD_RIGHT)
    inner_h = Decimal(HEIGHT - PAD_TOP - PAD_BOTTOM)
    step = inner_w / max(len(series) - 1, 1)
    return [
        (PAD_LEFT + step * index, PAD_TOP + inner_h - (balance - low) / span * inner_h)
        for index, balance in enumerate(values)
    ]


def _fmt(number: Decimal) -> str:
    return f"{number:.1f}"


def balance_chart(series: list[tuple[dt.date, Decimal]]) -> SafeString:
    """An area chart of daily closing balances, with a text summary for screen readers."""
    if not series:
        return mark_safe("")  # noqa: S308 - constant empty string
    first_day, last_day = series[0][0], series[-1][0]
    values = [balance for _day, balance in series]
    summary = (
        f"Balance from {first_day:%d %b} to {last_day:%d %b}: "
        f"lowest {_money(min(values))}, highest {_money(max(values))}, "
        f"now {_money(values[-1])}."
    )
    points = _points(series)
    line = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
    baseline = _fmt(Decimal(HEIGHT - PAD_BOTTOM))
    area = f"{_fmt(points[0][0])},{baseline} {line} {_fmt(points[-1][0])},{baseline}"
    end_x, end_y = points[-1]
    labels = format_html(
        '<text x="{}" y="{}" class="chart-label">{}</text>'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>',
        PAD_LEFT,
        HEIGHT - 6,
        f"{first_day:%d %b}",
        WIDTH - PAD_RIGHT,
        HEIGHT - 6,
        f"{last_day:%d %b}",
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{summary}" data-testid="balance-chart">'
        "<title>{summary}</title>"
        '<polygon class="chart-area" points="{area}"/>'
        '<polyline class="chart-line" points="{line}" fill="none"/>'
        '<circle class="chart-dot" cx="{ex}" cy="{ey}" r="3.5"/>'
        "{labels}</svg>",
        w=WIDTH,
        h=HEIGHT,
        summary=summary,
        area=area,
        line=line,
        ex=_fmt(end_x),
        ey=_fmt(end_y),
        labels=labels,
    )
