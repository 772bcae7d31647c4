"""Settlements: history, settle now (with a review and the PIN), and schedules (create, edit
— both confirmed with the PIN — pause, resume)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from wallet.amounts import AmountField
from wallet.exceptions import WalletError
from wallet.models import AmountMode, ScheduleType, SettlementRun, TransactionType, Weekday
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import check_amount, preview_outflow
from wallet.services.ledger.posting import new_reference
from wallet.services.settlement_service import SettlementService
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import customer_status, money
from wallet.views.outflow_pin import confirm_with_pin, pin_context

FIELDS_BY_TYPE = {
    ScheduleType.DAILY: [],
    ScheduleType.WEEKLY: ["day_of_week"],
    ScheduleType.MONTHLY: ["day_of_month"],
    ScheduleType.THRESHOLD: ["threshold_amount"],
}


class ScheduleForm(forms.Form):
    schedule_type = forms.ChoiceField(label="How often", choices=ScheduleType.choices)
    bank_account = forms.ModelChoiceField(queryset=None, empty_label=None, label="Pay to")
    time_of_day = forms.TimeField(
        label="Time of day",
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    day_of_week = forms.TypedChoiceField(
        label="Day of the week", choices=Weekday.choices, coerce=int
    )
    day_of_month = forms.IntegerField(
        label="Day of the month",
        min_value=1,
        max_value=31,
        help_text="29-31 fall on the last day of shorter months.",
    )
    threshold_amount = AmountField(label="When the balance reaches (₦)")
    # An amount first; "everything" is a choice, never the default (issue 23). The values stay
    # the model's (the usage guide's), only the words are the customer's.
    amount_mode = forms.ChoiceField(
        label="How much",
        choices=[
            (AmountMode.FIXED, "An amount I choose"),
            (AmountMode.ALL_AVAILABLE, "Everything in my wallet"),
        ],
        widget=forms.RadioSelect,
    )
    fixed_amount = AmountField(
        label="Fixed amount (₦)", required=False, help_text="Only for a fixed amount."
    )
    minimum_balance = AmountField(label="Keep at least (₦)", required=False, initial="0")
    maximum_amount = AmountField(
        label="At most each time (₦)", required=False, help_text="Empty: no cap."
    )

    def __init__(self, *args, wallet, schedule_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = wallet.bank_accounts.filter(
            is_active=True
        ).select_related("bank")
        hidden = {name for fields in FIELDS_BY_TYPE.values() for name in fields}
        hidden -= set(FIELDS_BY_TYPE.get(schedule_type, []))
        for name in hidden:
            del self.fields[name]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("schedule_type"), data.pop("bank_account")
        return data


class SettleNowForm(forms.Form):
    bank_account = forms.ModelChoiceField(queryset=None, empty_label=None, label="To")
    amount = AmountField(label="Amount (₦)")
    # Made on the review screen: a second "Settle" with it moves the money once.
    reference = forms.RegexField(
        regex=r"^stl-[0-9]{8}-[0-9a-f]{16}$", required=False, widget=forms.HiddenInput
    )

    def clean_amount(self):
        try:
            return check_amount(self.cleaned_data["amount"])
        except WalletError as error:
            raise forms.ValidationError(error.message)

    def __init__(self, *args, wallet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = wallet.bank_accounts.filter(
            is_active=True
        ).select_related("bank")


def _wallet(request):
    return WalletService().get_wallet(request.user)


@login_required
@require_GET
def settlement_list(request):
    wallet = _wallet(request)
    context = {
        "wallet": wallet,
        "schedules": wallet.settlement_schedules.select_related("bank_account__bank"),
        "settlements": wallet.settlements.select_related("transaction", "bank_account__bank")[:50],
        "skipped": SettlementRun.objects.filter(
            schedule__wallet=wallet, outcome="skipped"
        ).select_related("schedule")[:10],
        "settle_form": SettleNowForm(wallet=wallet),
    }
    return render(request, "wallet/settlements/list.html", context)


@login_required
@require_POST
def settle_now(request):
    """Review (bank, name, amount, fee, total, arrival; the PIN), then settle."""
    wallet = _wallet(request)
    form = SettleNowForm(request.POST, wallet=wallet)
    if not form.is_valid():
        messages.error(request, "Choose a bank account and an amount.")
        return redirect("wallet:settlements")
    if request.POST.get("step") == "send":
        return _settle(request, wallet, form)
    return _review_settlement(request, wallet, form)


def _review_settlement(request, wallet, form, error=None, status=200):
    data = form.cleaned_data
    fee = compute_fee(transaction_type=TransactionType.SETTLEMENT, amount=data["amount"]).amount
    if error is None:
        try:
            preview_outflow(
                wallet, data["amount"] + fee, operation="settlement", amount=data["amount"]
            )
        except WalletError as refusal:
            messages.error(request, refusal.message)
            return redirect("wallet:settlements")
    context = {
        "wallet": wallet,
        "account": data["bank_account"],
        "amount": data["amount"],
        "fee": fee,
        "total": data["amount"] + fee,
        "reference": data["reference"] or new_reference("stl"),
        "error": error,
        **pin_context(request.user),
    }
    return render(request, "wallet/settlements/review.html", context, status=status)


def _settle(request, wallet, form):
    refusal = confirm_with_pin(request)
    if refusal:
        return _review_settlement(request, wallet, form, error=refusal, status=422)
    try:
        settlement = SettlementService().create_settlement(
            wallet=wallet,
            bank_account=form.cleaned_data["bank_account"],
            amount=form.cleaned_data["amount"],
            reason="Settlement requested on the website",
            reference=form.cleaned_data["reference"] or None,
        )
    except WalletError as error:
        messages.error(request, error.message)
        return redirect("wallet:settlements")
    status = customer_status(settlement.transaction).lower()
    messages.success(request, f"Withdrawal of {money(settlement.amount)}: {status}.")
    return redirect("wallet:withdrawal_detail", pk=settlement.transaction_id)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def schedule_create(request):
    return _schedule_form(request, schedule=None)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def schedule_edit(request, pk):
    schedule = get_object_or_404(_wallet(request).settlement_schedules, pk=pk)
    return _schedule_form(request, schedule=schedule)


def _schedule_form(request, schedule):
    wallet = _wallet(request)
    data = request.POST if request.method == "POST" else None
    schedule_type = (data or request.GET).get("schedule_type") or (
        schedule.schedule_type if schedule else ScheduleType.DAILY
    )
    form = ScheduleForm(
        data, wallet=wallet, schedule_type=schedule_type, initial=_initial(schedule, schedule_type)
    )
    refusal = confirm_with_pin(request) if data is not None and form.is_valid() else None
    if refusal:
        form.add_error(None, refusal)
    if data is not None and form.is_valid():
        saved = _save_schedule(form, wallet, schedule)
        if saved is not None:
            messages.success(
                request, f"Schedule saved: next settlement {_local(saved.next_settlement)}."
            )
            if request.htmx:
                return trigger_client_event(
                    HttpResponseClientRedirect("/wallet/settlements/"), "walletChanged"
                )
            return redirect("wallet:settlements")
    context = {
        "form": form,
        "schedule": schedule,
        "has_accounts": form.fields["bank_account"].queryset.exists(),
        **pin_context(request.user),
    }
    partial = request.htmx and request.headers.get("HX-Target") == "schedule-form"
    template = "wallet/settlements/schedule_form.html" + ("#form" if partial else "")
    return render(request, template, context, status=422 if form.errors else 200)


def _save_schedule(form, wallet, schedule):
    service = SettlementService()
    try:
        if schedule is None:
            return service.create_settlement_schedule(
                wallet=wallet,
                bank_account=form.cleaned_data["bank_account"],
                schedule_type=form.cleaned_data["schedule_type"],
                **form.service_kwargs(),
            )
        return service.update_settlement_schedule(
            schedule,
            bank_account=form.cleaned_data["bank_account"],
            schedule_type=form.cleaned_data["schedule_type"],
            **form.service_kwargs(),
        )
    except WalletError as error:
        form.add_error(None, error.message)
        return None


def _initial(schedule, schedule_type):
    if schedule is None:
        return {
            "schedule_type": schedule_type,
            "amount_mode": AmountMode.FIXED,
            "time_of_day": "09:00",
        }
    return {
        "schedule_type": schedule_type,
        "bank_account": schedule.bank_account_id,
        "time_of_day": schedule.time_of_day,
        "day_of_week": schedule.day_of_week,
        "day_of_month": schedule.day_of_month,
        "threshold_amount": schedule.threshold_amount,
        "amount_mode": schedule.amount_mode,
        "fixed_amount": schedule.fixed_amount,
        "minimum_balance": schedule.minimum_balance,
        "maximum_amount": schedule.maximum_amount,
    }


def _local(moment):
    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "D j M Y, H:i") if moment else "—"


@login_required
@require_POST
def schedule_pause(request, pk):
    schedule = get_object_or_404(_wallet(request).settlement_schedules, pk=pk)
    SettlementService().pause_settlement_schedule(schedule)
    messages.success(request, "Schedule paused: nothing will be settled until you resume it.")
    return redirect("wallet:settlements")


@login_required
@require_http_methods(["GET", "POST"])
def schedule_resume(request, pk):
    """Resuming lets money leave again on its own: confirmed with the PIN, like a new one."""
    schedule = get_object_or_404(_wallet(request).settlement_schedules, pk=pk)
    refusal = confirm_with_pin(request) if request.method == "POST" else None
    if request.method == "GET" or refusal:
        context = {"schedule": schedule, "error": refusal, **pin_context(request.user)}
        status = 422 if refusal else 200
        return render(request, "wallet/settlements/resume.html", context, status=status)
    try:
        SettlementService().resume_settlement_schedule(schedule)
    except WalletError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Schedule resumed: next settlement {_local(schedule.next_settlement)}."
        )
    return redirect("wallet:settlements")
