"""The hosted checkout page at authorization_url: card, then PIN / phone / OTP / bank
approval as the test card asks; Cancel; redirect to callback_url?trxref=REF&reference=REF."""

from urllib.parse import parse_qs

from . import payments
from .cards import CARDS
from .html import e, naira, page
from .web import html_response, redirect, router


def form_data(request):
    return {key: values[0] for key, values in parse_qs(request.body.decode()).items()}


@router.add("GET", "/checkout/<access_code>", kind="page")
def show(app, request, access_code):
    tx = app.store.get("transaction", code=access_code)
    if tx is None:
        return html_response(page("Not found", "<h1>No such checkout</h1>"), 404)
    return html_response(render(tx))


@router.add("POST", "/checkout/<access_code>", kind="page")
def submit(app, request, access_code):
    tx = app.store.get("transaction", code=access_code)
    if tx is None:
        return html_response(page("Not found", "<h1>No such checkout</h1>"), 404)
    if tx["status"] == "success":
        return html_response(render(tx))
    form = form_data(request)
    step = form.get("step", "card")
    if step == "card":
        payments.submit_card(app, tx, form.get("card_number"))
    else:
        payments.submit_step(app, tx, step, form.get("value") or form.get("decision"))
    app.store.save("transaction", tx)
    if tx["status"] == "success" and payments.callback_redirect(tx):
        return redirect(payments.callback_redirect(tx))
    return html_response(render(tx))


@router.add("POST", "/checkout/<access_code>/cancel", kind="page")
def cancel(app, request, access_code):
    tx = app.store.get("transaction", code=access_code)
    if tx is None:
        return html_response(page("Not found", "<h1>No such checkout</h1>"), 404)
    payments.cancel(app, tx)
    app.store.save("transaction", tx)
    target = payments.cancel_redirect(tx)
    if target:
        return redirect(target)
    return html_response(page("Cancelled", '<div class="card ok">Payment cancelled.</div>'))


def render(tx):
    head = (
        f'<div class="card"><div class="muted">{e(tx["email"])}</div>'
        f'<h1 id="amount">Pay {naira(tx["amount"])}</h1>'
        f'<div class="muted">Reference <code>{e(tx["reference"])}</code></div></div>'
    )
    if tx["status"] == "success":
        target = payments.callback_redirect(tx)
        link = f'<p><a id="continue" href="{e(target)}">Continue</a></p>' if target else ""
        body = f'<div class="card ok" id="result">Payment successful.</div>{link}'
        return page("Paid", f'<div class="checkout">{head}{body}</div>')
    error = (
        f'<div class="error" id="error" role="alert">{e(tx["error"])}</div>'
        if tx.get("error")
        else ""
    )
    step = tx.get("step") or "card"
    form = STEP_FORMS.get(step, card_form)(tx)
    cancel_form = (
        f'<form method="post" action="/checkout/{e(tx["access_code"])}/cancel">'
        '<button type="submit" class="secondary" id="cancel">Cancel</button></form>'
    )
    extra = test_cards_table() if step == "card" else ""
    panel = f'<div class="card">{error}{form}{cancel_form}</div>'
    body = f'<div class="checkout">{head}{panel}{extra}</div>'
    return page("Checkout", body)


def card_form(tx):
    return f"""<form method="post" action="/checkout/{e(tx["access_code"])}" id="card-form">
<input type="hidden" name="step" value="card">
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="off" required
 placeholder="4084 0840 8408 4081">
<label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" value="12/30">
<label for="cvv">CVV</label><input id="cvv" name="cvv" inputmode="numeric" value="408">
<button type="submit" class="primary" id="pay">Pay {naira(tx["amount"])}</button></form>"""


def secret_form(tx, step, label, hint):
    return f"""<form method="post" action="/checkout/{e(tx["access_code"])}" id="{step}-form">
<input type="hidden" name="step" value="{step}">
<label for="{step}">{label}</label><input id="{step}" name="value" inputmode="numeric"
 autocomplete="off" required><div class="muted">{hint}</div>
<button type="submit" class="primary" id="submit-{step}">Continue</button></form>"""


def bank_auth_form(tx):
    return f"""<form method="post" action="/checkout/{e(tx["access_code"])}" id="bank_auth-form">
<input type="hidden" name="step" value="bank_auth">
<p>Your bank asks you to authorize this payment of {naira(tx["amount"])}.</p>
<button type="submit" name="decision" value="approve" class="primary" id="authorize">
Authorize</button>
<button type="submit" name="decision" value="decline" class="secondary" id="decline">
Decline</button>
</form>"""


STEP_FORMS = {
    "card": card_form,
    "pin": lambda tx: secret_form(tx, "pin", "Card PIN", "Enter the test card's PIN."),
    "otp": lambda tx: secret_form(tx, "otp", "OTP", "Test OTP: 123456"),
    "phone": lambda tx: secret_form(tx, "phone", "Phone number", "Any 11-digit number"),
    "bank_auth": bank_auth_form,
}


def test_cards_table():
    rows = "".join(
        f"<tr><td><code>{card.number}</code></td><td>{card.cvv}</td><td>{e(card.note)}</td>"
        f'<td><button type="button" class="secondary use-card" data-card="{card.number}" '
        f'data-cvv="{card.cvv}">Use</button></td></tr>'
        for card in CARDS.values()
    )
    return (
        '<div class="card"><h2>Test cards</h2><table id="test-cards"><thead><tr><th>Card</th>'
        f"<th>CVV</th><th>Behaviour</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        '<div class="muted">Any future expiry.</div></div>' + USE_CARD_SCRIPT
    )


# Fills the card form from a row of the test-card table (a convenience for people; tests
# can type the number like a payer would).
USE_CARD_SCRIPT = """<script>
document.querySelectorAll("button.use-card").forEach(function (button) {
  button.addEventListener("click", function () {
    document.getElementById("card_number").value = button.dataset.card;
    document.getElementById("cvv").value = button.dataset.cvv;
    document.getElementById("card_number").focus();
  });
});
</script>"""
