"""Plain HTML pages: the overview, webhook deliveries (with resend) and DVA bank transfers."""

from datetime import UTC, datetime
from urllib.parse import parse_qs

from .api.customers import receive_bank_transfer
from .html import e, naira, page, table
from .web import ApiError, html_response, redirect, router


def when(ts):
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S") if ts else ""


@router.add("GET", "/", kind="page")
def overview(app, request):
    store = app.store
    config = app.all_config()
    customers = {c["id"]: c for c in store.all("customer")}
    recipients = {r["id"]: r for r in store.all("recipient")}
    transactions = table(
        ["Reference", "Email", "Amount", "Status", "Channel", "Gateway response", "Created"],
        [
            [
                f"<code>{e(tx['reference'])}</code>",
                e(tx["email"]),
                naira(tx["amount"]),
                e(tx["status"]),
                e(tx.get("channel") or ""),
                e(tx.get("gateway_response") or ""),
                when(tx["created_at"]),
            ]
            for tx in store.all("transaction")[:100]
        ],
    )
    transfers = table(
        ["Reference", "Code", "Recipient", "Amount", "Fee", "Status", "Created"],
        [
            [
                f"<code>{e(t['reference'])}</code>",
                e(t["transfer_code"]),
                e(account_label(recipients.get(t["recipient_id"]))),
                naira(t["amount"]),
                naira(t["fee"]),
                e(t["status"]),
                when(t["created_at"]),
            ]
            for t in store.all("transfer")[:100]
        ],
    )
    refunds = table(
        ["Id", "Transaction", "Amount", "Status", "Created"],
        [
            [
                r["id"],
                r["transaction_id"],
                naira(r["amount"]),
                e(r["status"]),
                when(r["created_at"]),
            ]
            for r in store.all("refund")[:100]
        ],
    )
    customer_rows = table(
        ["Code", "Email", "Name", "Created"],
        [
            [
                e(c["customer_code"]),
                e(c["email"]),
                e(" ".join(filter(None, (c.get("first_name"), c.get("last_name"))))),
                when(c["created_at"]),
            ]
            for c in list(customers.values())[:100]
        ],
    )
    settings = table(
        ["Setting", "Value"],
        [[e(key), f"<code>{e(str(value))}</code>"] for key, value in config.items()]
        + [
            ["merchant balance", naira(config["balance"])],
            ["active faults", e(str(app.faults.list()))],
        ],
    )
    body = (
        "<h1>Paystack sandbox</h1>"
        f"<h2>Settings</h2>{settings}"
        f"<h2>Transactions</h2>{transactions}<h2>Transfers</h2>{transfers}"
        f"<h2>Refunds</h2>{refunds}<h2>Customers</h2>{customer_rows}"
        f"<h2>Webhook deliveries</h2>{deliveries_table(app, limit=20)}"
        '<p><a href="/deliveries">All deliveries</a></p>'
    )
    return html_response(page("Paystack sandbox", body))


def account_label(recipient):
    if recipient is None:
        return ""
    return f"{recipient['account_name']} {recipient['account_number']} ({recipient['bank_name']})"


def deliveries_table(app, limit=None):
    rows = []
    for d in app.store.all("delivery")[:limit]:
        last = d["attempts"][-1] if d["attempts"] else None
        answer = ""
        if last:
            answer = e(f"{last['status_code'] or last['error']} {last['response'][:200]}")
        resend = (
            f'<form method="post" action="/deliveries/{d["id"]}/resend">'
            f'<button type="submit" class="secondary">Resend</button></form>'
        )
        body = (
            f"<details><summary>{e(d['event'])}</summary><pre>{e(d['body'][:4000])}</pre>"
            f'<div class="muted">x-paystack-signature: {e(d["signature"][:32])}…</div></details>'
        )
        rows.append(
            [
                d["id"],
                body,
                f"<code>{e(d.get('reference') or '')}</code>",
                e(d["status"]),
                len(d["attempts"]),
                answer,
                e(d["url"] or ""),
                resend,
            ]
        )
    return table(["#", "Event", "Reference", "Status", "Attempts", "Last answer", "URL", ""], rows)


@router.add("GET", "/deliveries", kind="page")
def deliveries(app, request):
    return html_response(
        page("Webhook deliveries", f"<h1>Webhook deliveries</h1>{deliveries_table(app)}")
    )


@router.add("POST", "/deliveries/<id>/resend", kind="page")
def resend(app, request, id):
    if id.isdigit():
        app.webhooks.resend(int(id))
    return redirect("/deliveries")


@router.add("GET", "/dva", kind="page")
def dva_page(app, request, message=""):
    rows = []
    for dva in app.store.all("dva"):
        customer = app.store.get("customer", id=dva["customer_id"])
        form = (
            f'<form method="post" action="/dva/{dva["account_number"]}/transfer">'
            f'<label for="amount-{dva["account_number"]}">Amount (NGN)</label>'
            f'<input id="amount-{dva["account_number"]}" name="amount_naira" value="1000.00">'
            '<button type="submit" class="primary">Send bank transfer</button></form>'
        )
        rows.append(
            [
                f"<code>{dva['account_number']}</code>",
                e(dva["account_name"]),
                e(customer["email"]),
                form,
            ]
        )
    body = (
        "<h1>Send a bank transfer to a dedicated account</h1>"
        f"{message}{table(['Account number', 'Account name', 'Customer', ''], rows)}"
    )
    return html_response(page("DVA transfers", body))


@router.add("POST", "/dva/<account_number>/transfer", kind="page")
def dva_transfer(app, request, account_number):
    form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
    try:
        kobo = naira_to_kobo(form.get("amount_naira", ""))
        payload = receive_bank_transfer(app, account_number, kobo)
        message = (
            f'<div class="ok">Sent {naira(kobo)}: transaction '
            f"<code>{e(payload['reference'])}</code>, charge.success queued.</div>"
        )
    except (ApiError, ValueError) as error:
        message = f'<div class="error">{e(str(error))}</div>'
    return dva_page(app, request, message=message)


def naira_to_kobo(text):
    whole, _, fraction = text.strip().replace(",", "").partition(".")
    if not whole.isdigit() or len(fraction) > 2 or (fraction and not fraction.isdigit()):
        raise ValueError("Enter an amount like 1000.00")
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
