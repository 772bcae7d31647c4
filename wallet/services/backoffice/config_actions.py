"""Configuration edits as staff actions: a fee rule, a settlement schedule (a new one for a
wallet, or an existing one edited). The confirmation page shows each value as it is now next to
the field that changes it; the audit entry keeps the values before and after; each edit is a
version in django-simple-history naming who made it and why. None of them moves money."""

import re
from decimal import Decimal

from django.db import transaction as db

from wallet.amounts import parse_amount_text
from wallet.exceptions import InvalidAmount, WalletError
from wallet.models import FeeRule, SettlementSchedule, Wallet
from wallet.models.fee_rule import FeeBearer
from wallet.services.backoffice.staff_action import StaffAction
from wallet.services.payouts.schedule_fields import SCHEDULE_FIELDS

FEE_FIELDS = {
    "min_amount": "From amount (₦)",
    "max_amount": "Up to amount (₦; empty: no upper bound)",
    "flat": "Flat fee (₦)",
    "percentage": "Percentage (%)",
    "minimum": "Minimum fee (₦)",
    "cap": "Fee cap (₦; empty: no cap)",
    "bearer": "Who pays: customer or recipient",
    "is_active": "Active: yes or no",
}
OPTIONAL_FEE_FIELDS = {"max_amount", "cap"}
PERCENTAGE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3})?", re.ASCII)
YES, NO = {"yes", "on", "true", "1"}, {"no", "off", "false", "0", ""}

SCHEDULE_INPUTS = {
    "schedule_type": "Kind: daily, weekly, monthly or threshold",
    "time_of_day": "Time of day (HH:MM, Lagos)",
    "day_of_week": "Day of week (0 = Monday; weekly only)",
    "day_of_month": "Day of month (1–28; monthly only)",
    "threshold_amount": "Settle above (₦; threshold only)",
    "amount_mode": "Amount: all, fixed or above_minimum",
    "fixed_amount": "Fixed amount (₦; fixed only)",
    "minimum_balance": "Keep in the wallet (₦)",
    "maximum_amount": "At most (₦; empty: no maximum)",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _yes_no(raw, name, label) -> bool:
    text = str(raw.get(name) or "").strip().lower()
    if text not in YES | NO:
        raise WalletError(f"{label}: answer yes or no.")
    return text in YES


def _money(raw, name, label, *, optional) -> str | None:
    text = str(raw.get(name) or "").strip()
    if not text and optional:
        return None
    try:
        return str(parse_amount_text(text))
    except InvalidAmount as error:
        raise InvalidAmount(f"{label}: {error.message}")


def fee_rule_values(rule) -> dict:
    return {name: _text(getattr(rule, name)) for name in FEE_FIELDS}


def _clean_fee_rule(rule, raw) -> dict:
    params = {}
    for name, label in FEE_FIELDS.items():
        if name == "is_active":
            params[name] = _yes_no(raw, name, label)
        elif name == "bearer":
            params[name] = str(raw.get(name) or "").strip()
            if params[name] not in FeeBearer.values:
                raise WalletError(f"{label}: {' or '.join(FeeBearer.values)}.")
        elif name == "percentage":
            text = str(raw.get(name) or "").strip()
            if PERCENTAGE.fullmatch(text) is None or Decimal(text) > 100:
                raise InvalidAmount("Percentage: a number from 0 to 100, e.g. 1.5.")
            params[name] = str(Decimal(text).quantize(Decimal("0.001")))
        else:
            params[name] = _money(raw, name, label, optional=name in OPTIONAL_FEE_FIELDS)
    upper = params["max_amount"]
    if upper is not None and Decimal(upper) < Decimal(params["min_amount"]):
        raise WalletError("The band's upper bound is below its lower bound.")
    if {k: _text(v) for k, v in params.items()} == fee_rule_values(rule):
        raise WalletError("Nothing changed: these are the rule's values already.")
    return params


def _change_fee_rule(rule, params, reason, actor):
    """Save the rule's new values (one version in its history, naming `actor` and `reason`)."""
    with db.atomic():
        locked = FeeRule.objects.select_for_update().get(pk=rule.pk)
        for name, value in params.items():
            setattr(locked, name, Decimal(value) if _is_decimal(name, value) else value)
        locked._history_user, locked._change_reason = actor, reason[:100]
        locked.save()
    return f"The fee rule is now: {locked}."


def _is_decimal(name, value) -> bool:
    return name not in ("bearer", "is_active") and value is not None


def schedule_values(schedule) -> dict:
    return {name: _text(getattr(schedule, name, None)) for name in SCHEDULE_INPUTS}


def _schedule_params(raw) -> dict:
    kind = str(raw.get("schedule_type") or "").strip()
    fields = {
        name: str(raw.get(name)).strip()
        for name in SCHEDULE_INPUTS
        if name in SCHEDULE_FIELDS and str(raw.get(name) or "").strip()
    }
    return {"schedule_type": kind, **fields}


def _clean_schedule(schedule, raw) -> dict:
    from wallet.services.payouts.schedule_fields import clean_schedule_fields

    params = _schedule_params(raw)
    fields = {k: v for k, v in params.items() if k != "schedule_type"}
    clean_schedule_fields(params["schedule_type"], fields)  # InvalidSchedule says what is wrong
    return params


def _edit_schedule(schedule, params, reason, actor):
    from wallet.services.settlement_service import SettlementService

    fields = {k: v for k, v in params.items() if k != "schedule_type"}
    saved = SettlementService().update_settlement_schedule(
        schedule, schedule_type=params["schedule_type"], **fields
    )
    _sign_latest_version(saved, actor, reason)
    return f"The schedule is now {saved.schedule_type}; next settlement {saved.next_settlement}."


def _clean_new_schedule(wallet, raw) -> dict:
    account = str(raw.get("bank_account") or "").strip()
    if not (account.isascii() and account.isdigit()):
        raise WalletError("Choose the bank account (its number in the list) to settle to.")
    if not wallet.bank_accounts.filter(pk=int(account)).exists():
        raise WalletError("That bank account is not one of this wallet's accounts.")
    return {"bank_account": int(account), **_clean_schedule(None, raw)}


def _create_schedule(wallet, params, reason, actor):
    from wallet.services.settlement_service import SettlementService

    fields = {k: v for k, v in params.items() if k not in ("schedule_type", "bank_account")}
    account = wallet.bank_accounts.get(pk=params["bank_account"])
    saved = SettlementService().create_settlement_schedule(
        wallet, account, params["schedule_type"], **fields
    )
    _sign_latest_version(saved, actor, reason)
    return f"Schedule #{saved.pk} created; next settlement {saved.next_settlement}."


def _sign_latest_version(schedule, actor, reason) -> None:
    """The version the service just saved names who made it and why."""
    latest = schedule.history.order_by("-history_id").values_list("history_id", flat=True)[:1]
    schedule.history.filter(history_id__in=list(latest)).update(
        history_user=actor, history_change_reason=reason[:100]
    )


def _before(labels: dict, values: dict) -> list:
    return [(name, label, values.get(name, "")) for name, label in labels.items()]


CONFIG_ACTIONS = [
    StaffAction(
        "edit_fee_rule", "Edit fee rule", "change_feerule", FeeRule, _change_fee_rule,
        clean=_clean_fee_rule, wants_actor=True, inputs=("config",), initial=fee_rule_values,
        fields=lambda rule: _before(FEE_FIELDS, fee_rule_values(rule)),
        describe="Change this fee band for every payment it prices from now on. The old "
        "values stay in the rule's history. Moves no money.",
    ),
    StaffAction(
        "edit_schedule", "Edit settlement schedule", "change_settlementschedule",
        SettlementSchedule, _edit_schedule, clean=_clean_schedule, wants_actor=True,
        inputs=("config",), initial=schedule_values,
        fields=lambda s: _before(SCHEDULE_INPUTS, schedule_values(s)),
        describe="Change when and how much this schedule settles; its next run is computed "
        "again. The bank account stays. Moves no money now.",
    ),
    StaffAction(
        "create_schedule", "New settlement schedule", "add_settlementschedule", Wallet,
        _create_schedule, clean=_clean_new_schedule, wants_actor=True, inputs=("config",),
        fields=lambda w: [("bank_account", "Bank account (its number)", ", ".join(
            f"{a.pk}: {a}" for a in w.bank_accounts.all()[:20]))]
        + [(n, label, "") for n, label in SCHEDULE_INPUTS.items()],
        describe="Settle this wallet to one of its own bank accounts on a schedule. Moves no "
        "money now.",
    ),
]  # fmt: skip
