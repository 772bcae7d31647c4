"""A plain page layout and escaping for the sandbox's HTML pages."""

from html import escape

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f5f7fa;color:#1b2733}
header{background:#0b2b40;color:#fff;padding:12px 24px}
header a{color:#9fd8ff;margin-right:16px;text-decoration:none}
main{max-width:1100px;margin:24px auto;padding:0 16px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:24px;font-size:14px}
th,td{border:1px solid #dde3ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6}
.card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:20px;margin-bottom:20px}
.checkout{max-width:460px;margin:32px auto}
label{display:block;margin:12px 0 4px;font-weight:600}
input,select{width:100%;padding:8px;font-size:16px;box-sizing:border-box}
button{padding:10px 18px;font-size:16px;margin-top:16px;border-radius:6px;border:0;cursor:pointer}
button.use-card{margin:0;padding:4px 10px;font-size:13px}
button.primary{background:#09a5db;color:#fff}
button.secondary{background:#e5e9ee;color:#1b2733}
.error{background:#fde8e8;color:#9b1c1c;padding:10px;border-radius:6px}
.ok{background:#e6f6ec;color:#14532d;padding:10px;border-radius:6px}
.muted{color:#66788a;font-size:13px}
code{background:#eef2f6;padding:1px 4px;border-radius:3px}
pre{white-space:pre-wrap;word-break:break-all;max-width:520px;font-size:12px}
"""


def page(title, body):
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body><header><strong>Paystack sandbox</strong> &nbsp;
<a href="/">Overview</a><a href="/deliveries">Webhooks</a><a href="/dva">Bank transfer to a DVA</a>
</header><main>{body}</main></body></html>"""


def table(headers, rows):
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headers)}" class="muted">Nothing yet.</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def naira(kobo):
    return f"NGN {kobo // 100:,}.{kobo % 100:02d}"


e = escape
