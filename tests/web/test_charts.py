import datetime as dt
from decimal import Decimal

from wallet.charts import balance_chart


def test_balance_chart_is_an_svg_with_a_readable_summary():
    days = [dt.date(2026, 11, day) for day in (1, 2, 3)]
    series = list(zip(days, [Decimal("0.00"), Decimal("1500.50"), Decimal("700.00")], strict=True))

    svg = str(balance_chart(series))

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "lowest ₦0.00, highest ₦1,500.50, now ₦700.00" in svg
    assert svg.count("<polyline") == 1


def test_a_flat_balance_still_draws_a_line():
    series = [(dt.date(2026, 11, 1), Decimal("5.00")), (dt.date(2026, 11, 2), Decimal("5.00"))]

    assert "<polyline" in str(balance_chart(series))


def test_a_new_wallets_chart_starts_just_before_its_first_money():
    from wallet.selectors import _without_empty_start

    days = [dt.date(2026, 11, day) for day in range(1, 21)]
    balances = [Decimal("0.00")] * 15 + [Decimal("10.00")] * 5
    series = list(zip(days, balances, strict=True))

    assert _without_empty_start(series)[0] == (dt.date(2026, 11, 14), Decimal("0.00"))
    assert len(_without_empty_start(series[:5] + [(dt.date(2026, 12, 1), Decimal(1))])) == 6
    assert _without_empty_start([(days[0], Decimal(0))] * 3) == [(days[0], Decimal(0))] * 3
