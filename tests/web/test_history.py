import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.web.history_data import post_transfers
from wallet.models import Transaction
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def row_ids(page):
    return [int(part.split('"')[0]) for part in page.split('<tr id="tx-')[1:]]


def cursor(page, name):
    marker = f'data-testid="{name}"'
    if marker not in page:
        return None
    tail = page.split(marker, 1)[1]
    key = "before=" if name == "newer" else "after="
    return tail.split(key, 1)[1].split('"', 1)[0]


def test_history_pages_walk_every_row_once_in_both_directions(
    client_logged_in, funded_wallet, other_wallet
):
    post_transfers(funded_wallet, other_wallet, 60, amount="1.00")
    expected = list(
        Transaction.objects.filter(wallet=funded_wallet)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )

    seen, pages, after = [], [], ""
    while True:
        page = client_logged_in.get(f"/wallet/transactions/?after={after}").content.decode()
        pages.append(page)
        seen += row_ids(page)
        after = cursor(page, "older")
        if not after:
            break
    back = client_logged_in.get(f"/wallet/transactions/?before={cursor(pages[-1], 'newer')}")

    assert seen == expected and len(pages) == 3
    assert cursor(pages[0], "newer") is None
    assert row_ids(back.content.decode()) == row_ids(pages[1])


def test_filters_by_type_status_and_date(client_logged_in, funded_wallet, other_wallet):
    post_transfers(funded_wallet, other_wallet, 2)
    today = timezone.localdate()

    transfers = client_logged_in.get("/wallet/transactions/?type=transfer").content.decode()
    deposits = client_logged_in.get("/wallet/transactions/?type=deposit&status=success")
    failed = client_logged_in.get("/wallet/transactions/?status=failed").content.decode()
    tomorrow = client_logged_in.get(
        f"/wallet/transactions/?start={today + dt.timedelta(1):%Y-%m-%d}"
    ).content.decode()
    today_only = client_logged_in.get(f"/wallet/transactions/?start={today}&end={today}")

    assert len(row_ids(transfers)) == 2
    assert len(row_ids(deposits.content.decode())) == 1
    assert row_ids(failed) == [] and "No transactions match these filters" in failed
    assert row_ids(tomorrow) == []
    assert len(row_ids(today_only.content.decode())) == 3


def test_search_by_reference_or_description(client_logged_in, funded_wallet, other_wallet):
    sent = post_transfers(funded_wallet, other_wallet, 3, description="Groceries")
    WalletService().deposit(wallet=funded_wallet, amount=Decimal("1"), description="Refund desk")

    by_reference = client_logged_in.get(f"/wallet/transactions/?q={sent[1].reference}")
    by_words = client_logged_in.get("/wallet/transactions/?q=groceries").content.decode()

    assert row_ids(by_reference.content.decode()) == [sent[1].pk]
    assert len(row_ids(by_words)) == 3


def test_htmx_request_gets_only_the_results(client_logged_in, funded_wallet):
    response = client_logged_in.get("/wallet/transactions/?type=deposit", headers=HTMX)

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"') and "<html" not in page


def test_an_inverted_date_range_is_explained_in_place(client_logged_in, funded_wallet):
    url = "/wallet/transactions/?start=2026-11-20&end=2026-11-01"
    page = client_logged_in.get(url)
    fragment = client_logged_in.get(url, headers=HTMX)

    assert page.status_code == 422
    assert "The end date is before the start date." in page.content.decode()
    assert fragment.status_code == 422
    assert 'data-testid="filter-errors"' in fragment.content.decode()
    assert 'value="2026-11-20"' in page.content.decode()


def test_history_query_count_does_not_grow_with_history(
    client_logged_in, funded_wallet, other_wallet, django_assert_max_num_queries
):
    post_transfers(funded_wallet, other_wallet, 30)
    first = client_logged_in.get("/wallet/transactions/").content.decode()
    with django_assert_max_num_queries(6):
        client_logged_in.get(f"/wallet/transactions/?after={cursor(first, 'older')}")
    post_transfers(funded_wallet, other_wallet, 30)
    with django_assert_max_num_queries(6):
        client_logged_in.get("/wallet/transactions/?q=lunch&type=transfer")


def test_receipt_shows_the_transaction_and_prints(client_logged_in, funded_wallet, other_wallet):
    (sent,) = post_transfers(funded_wallet, other_wallet, 1, amount="2500.00")

    page = client_logged_in.get(f"/wallet/transactions/{sent.pk}/").content.decode()

    assert sent.reference in page and "amount-debit" in page and "₦2,500.00" in page
    # The print button is handled in static/js/app.js: the CSP allows no inline script.
    assert "To Bob Bello" in page and "data-print" in page


def test_another_users_transaction_is_404(client, funded_wallet, other_wallet, other_user):
    (sent,) = post_transfers(funded_wallet, other_wallet, 1)
    client.force_login(other_user)
    received = Transaction.objects.get(wallet=other_wallet)

    assert client.get(f"/wallet/transactions/{sent.pk}/").status_code == 404
    assert client.get(f"/wallet/transactions/{received.pk}/").status_code == 200


def test_malformed_cursor_shows_the_first_page(client_logged_in, funded_wallet):
    response = client_logged_in.get("/wallet/transactions/?after=garbage.x")

    assert response.status_code == 200 and len(row_ids(response.content.decode())) == 1


def read_csv(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_streams_the_filtered_rows(client_logged_in, funded_wallet, other_wallet):
    post_transfers(funded_wallet, other_wallet, 3, amount="12.50")

    everything = client_logged_in.get("/wallet/transactions/export.csv")
    transfers = read_csv(client_logged_in.get("/wallet/transactions/export.csv?type=transfer"))

    assert everything["Content-Type"].startswith("text/csv")
    assert "attachment" in everything["Content-Disposition"]
    assert len(read_csv(everything)) == 1 + 4
    assert transfers[0][:3] == ["Created At", "Reference", "Transaction Type"]
    assert {row[5] for row in transfers[1:]} == {"12.50"}


def test_csv_export_defuses_spreadsheet_formulas(client_logged_in, funded_wallet, other_wallet):
    post_transfers(funded_wallet, other_wallet, 1, description="=HYPERLINK(evil)")

    rows = read_csv(client_logged_in.get("/wallet/transactions/export.csv?type=transfer"))

    assert rows[1][9].startswith("'=")


def test_receipt_query_count_is_bounded(
    client_logged_in, funded_wallet, other_wallet, django_assert_max_num_queries
):
    (sent,) = post_transfers(funded_wallet, other_wallet, 1)
    with django_assert_max_num_queries(5):
        client_logged_in.get(f"/wallet/transactions/{sent.pk}/")


def test_csv_export_query_count_does_not_grow_with_history(
    client_logged_in, funded_wallet, other_wallet, django_assert_max_num_queries
):
    post_transfers(funded_wallet, other_wallet, 50)
    with django_assert_max_num_queries(6):
        read_csv(client_logged_in.get("/wallet/transactions/export.csv"))


def test_a_reversal_hides_internal_references_and_staff_reasons_and_counts_as_nothing(
    client_logged_in, funded_wallet, other_wallet
):
    from wallet.services.transaction_service import TransactionService

    (sent,) = post_transfers(funded_wallet, other_wallet, 1, amount="2500.00")
    reason = "Duplicate, reversed by Kemi (ops) ticket OPS-77"
    reversal = TransactionService().reverse_transaction(sent, reason=reason)

    history = client_logged_in.get("/wallet/transactions/").content.decode()
    receipt = client_logged_in.get(f"/wallet/transactions/{reversal.pk}/").content.decode()
    dashboard = client_logged_in.get("/wallet/").content.decode()

    for page in (history, receipt):
        assert "Kemi" not in page and "OPS-77" not in page
        assert f"Reversal of {sent.reference}" not in page
    assert "Correction of an earlier transaction" in receipt
    assert "amount-void" in receipt and "amount-credit" not in receipt
    assert "Returned to your wallet" in history
    assert 'out <span class="sensitive">₦0.00</span>' in dashboard


def test_the_export_says_when_the_list_is_filtered_or_empty(
    client_logged_in, funded_wallet, other_wallet
):
    post_transfers(funded_wallet, other_wallet, 1, description="Suya")

    everything = client_logged_in.get("/wallet/transactions/").content.decode()
    filtered = client_logged_in.get("/wallet/transactions/?q=Suya").content.decode()
    nothing = client_logged_in.get("/wallet/transactions/?q=zzz").content.decode()
    export = client_logged_in.get("/wallet/transactions/export.csv?q=Suya")

    assert "All your transactions." in everything and ">Export CSV<" in everything
    assert "match your filters" in filtered and ">Export filtered CSV<" in filtered
    assert 'data-testid="export-empty">Nothing matches these filters' in nothing
    assert 'data-testid="export-csv"' not in nothing
    assert "filtered-transactions" in export["Content-Disposition"]
    assert str(funded_wallet.public_id) in export["Content-Disposition"]


def test_a_receipt_is_shared_as_an_image_or_a_pdf_without_internal_ids(
    client_logged_in, funded_wallet, other_wallet
):
    import io

    from PIL import Image

    (sent,) = post_transfers(funded_wallet, other_wallet, 1, amount="2500.00")
    base = f"/wallet/transactions/{sent.pk}/"

    image = client_logged_in.get(f"{base}receipt.png")
    pdf = client_logged_in.get(f"{base}receipt.pdf")
    page = client_logged_in.get(base).content.decode()

    assert image["Content-Type"] == "image/png" and sent.reference in image["Content-Disposition"]
    assert Image.open(io.BytesIO(image.content)).size[0] == 720  # phone-width
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert f"{base}receipt.png" in page and f"{base}receipt.pdf" in page
    assert f"wallet {other_wallet.pk}" not in page and "bob@example.com" not in page


def test_another_customers_receipt_image_is_404(client_logged_in, other_wallet, wallet):
    from wallet.services.wallet_service import WalletService

    theirs = WalletService().deposit(wallet=other_wallet, amount=Decimal("5"))
    assert client_logged_in.get(f"/wallet/transactions/{theirs.pk}/receipt.png").status_code == 404
    assert client_logged_in.get(f"/wallet/transactions/{theirs.pk}/receipt.pdf").status_code == 404


def test_history_dates_are_typed_day_first(client_logged_in, funded_wallet):
    page = client_logged_in.get("/wallet/transactions/?start=20/11/2026&end=01/11/2026")

    assert page.status_code == 422  # read as 20 Nov and 1 Nov: the end is before the start
    assert "The end date is before the start date." in page.content.decode()
    assert 'placeholder="DD/MM/YYYY"' in page.content.decode()
