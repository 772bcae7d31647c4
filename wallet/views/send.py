"""Send money to another user: fill in, confirm the recipient's name, send.

Nothing moves until the confirmation step, which asks the transaction PIN (or, the first time,
has the user choose one); every refusal (unknown recipient, insufficient
funds, locked wallet, limits) re-renders the form in place with the reason and status 422.
The confirmation carries a server-made reference, so a double-submitted "Send" moves money
once (the service treats the reference as an idempotency key).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from wallet import selectors
from wallet.amounts import AmountField
from wallet.exceptions import InvalidAmount, RecipientDeactivated, WalletError
from wallet.models import FeeOperation
from wallet.ratelimit import allow
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import check_amount, preview_outflow
from wallet.services.ledger.posting import new_reference
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import money, sentence
from wallet.views.outflow_pin import confirm_with_pin, pin_context

TEMPLATE = "wallet/send/send.html"


class SendMoneyForm(forms.Form):
    recipient = forms.CharField(
        label="Recipient's @handle, e-mail or phone",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    amount = AmountField(label="Amount (₦)")
    description = forms.CharField(label="What's it for? (optional)", max_length=255, required=False)
    reference = forms.CharField(widget=forms.HiddenInput, required=False, max_length=50)

    def __init__(self, *args, wallet, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.wallet = wallet
        self.recipient_wallet = None
        self.fields["recipient"].widget.attrs.update(
            {
                "hx-get": reverse("wallet:recipient_lookup"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#recipient-hint",
                "hx-sync": "this:replace",
                "aria-describedby": "recipient-hint",
            }
        )

    def clean_recipient(self):
        query = self.cleaned_data["recipient"].strip()
        recipient = selectors.find_recipient(query, currency=self.wallet.currency)
        if recipient is None:
            raise forms.ValidationError(
                "No wallet found for that handle, e-mail, phone or wallet code. "
                "Check it and try again."
            )
        if recipient.pk == self.wallet.pk:
            raise forms.ValidationError("That is your own wallet: choose someone else.")
        if not recipient.user.is_active:  # the service refuses it too; say so before review
            raise forms.ValidationError(RecipientDeactivated.default_message)
        self.recipient_wallet = recipient
        return query

    def clean(self):
        """The review step already refuses what the balance cannot cover, naming the balance
        (the service checks again under the lock: this is for the person, not for safety)."""
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is None or self.recipient_wallet is None:
            return cleaned
        fee = compute_fee(transaction_type=FeeOperation.TRANSFER, amount=amount)
        needed = amount + fee.paid_by_sender
        if needed > self.wallet.balance:
            paid_fee = fee.paid_by_sender
            with_fee = f" (including the ₦{paid_fee:,.2f} fee)" if paid_fee else ""
            self.add_error(
                "amount",
                f"Your balance is ₦{self.wallet.balance:,.2f}: not enough for ₦{needed:,.2f}"
                f"{with_fee}.",
            )
        return cleaned

    def clean_amount(self):
        try:
            return check_amount(self.cleaned_data["amount"])
        except InvalidAmount as error:
            raise forms.ValidationError(error.message)


def _page_context(wallet, form, **extra):
    return {
        "wallet": wallet,
        "form": form,
        "recent_recipients": selectors.recent_recipients(wallet=wallet),
        **extra,
    }


def _form_response(request, wallet, form, status=200):
    context = _page_context(wallet, form)
    template = f"{TEMPLATE}#send_form" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def send_money(request):
    wallet = WalletService().get_wallet(request.user)
    if request.method == "GET":
        if request.htmx and request.GET.get("panel") == "recents":  # refreshed after a send
            context = {"recent_recipients": selectors.recent_recipients(wallet=wallet)}
            return render(request, f"{TEMPLATE}#recents", context)
        initial = {"recipient": request.GET.get("to", "")}
        return _form_response(request, wallet, SendMoneyForm(wallet=wallet, initial=initial))
    step = request.POST.get("step", "review")
    if step == "edit":  # back from the confirmation, with what was typed
        typed = {
            name: request.POST.get(name, "") for name in ("recipient", "amount", "description")
        }
        return _form_response(request, wallet, SendMoneyForm(wallet=wallet, initial=typed))
    form = SendMoneyForm(request.POST, wallet=wallet)
    if not form.is_valid():
        return _form_response(request, wallet, form, status=422)
    if step == "send":
        return _send(request, wallet, form)
    return _confirm(request, wallet, form)


def _confirm(request, wallet, form, error=None, status=200):
    """The review: re-checks balance, fee and limits (saying which fails), asks the PIN."""
    amount = form.cleaned_data["amount"]
    fee = compute_fee(transaction_type=FeeOperation.TRANSFER, amount=amount)
    if error is None:
        try:
            preview_outflow(
                wallet, amount + fee.paid_by_sender, operation="transfer", amount=amount
            )
        except WalletError as refusal:
            form.add_error(None, refusal.message)
            return _form_response(request, wallet, form, status=422)
    context = _page_context(
        wallet,
        form,
        recipient_wallet=form.recipient_wallet,
        recipient_name=selectors.masked_name(form.recipient_wallet.user),
        amount=amount,
        fee=fee,
        total=amount + fee.paid_by_sender,
        received=amount - fee.paid_by_recipient,
        reference=form.cleaned_data["reference"] or new_reference("trf"),
        error=error,
        **pin_context(request.user),
    )
    template = f"{TEMPLATE}#send_confirm" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


def _send(request, wallet, form):
    if not allow("transfer", str(request.user.pk)):
        form.add_error(None, "Too many transfers in a short time. Wait a minute and try again.")
        return _form_response(request, wallet, form, status=429)
    refusal = confirm_with_pin(request)
    if refusal:
        return _confirm(request, wallet, form, error=refusal, status=422)
    data = form.cleaned_data
    try:
        transaction = WalletService().transfer(
            source_wallet=wallet,
            destination_wallet=form.recipient_wallet,
            amount=data["amount"],
            description=data["description"],
            reference=data["reference"] or None,
        )
    except WalletError as error:
        form.add_error(None, error.message)
        return _form_response(request, wallet, form, status=422)
    name = selectors.masked_name(form.recipient_wallet.user)
    messages.success(request, sentence(f"Sent {money(transaction.amount)} to {name}"))
    if not request.htmx:
        return redirect("wallet:transaction_detail", pk=transaction.pk)
    context = {"wallet": wallet, "transaction": transaction, "recipient_name": name}
    response = render(request, f"{TEMPLATE}#send_done", context)
    return trigger_client_event(response, "walletChanged")


@login_required
@require_GET
def recipient_lookup(request):
    """The masked name ("Bola A.") behind a handle, e-mail, phone or wallet code, shown while
    the sender types: enough to confirm, too little to harvest."""
    if not allow("recipient_lookup", str(request.user.pk)):
        return HttpResponse(status=429)
    wallet = WalletService().get_wallet(request.user)
    query = request.GET.get("recipient", "").strip()
    recipient = selectors.find_recipient(query, currency=wallet.currency)
    context = {"query": query, "recipient_wallet": recipient, "wallet": wallet}
    if recipient is not None:
        context["recipient_name"] = selectors.masked_name(recipient.user)
    return render(request, f"{TEMPLATE}#recipient_hint", context)
