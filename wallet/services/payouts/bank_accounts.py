"""Banks (synced from Paystack) and a wallet's bank accounts (resolved, registered as
transfer recipients). Moves no money."""

import logging

from django.core.cache import cache
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import (
    AccountNameMismatch,
    BankAccountUnavailable,
    BankListUnavailable,
    DuplicateBankAccount,
    PaystackAPIError,
    UnknownBank,
)
from wallet.models import (
    Bank,
    BankAccount,
)
from wallet.services.outflows.account_security import send_security_notice
from wallet.services.payouts import gateway

logger = logging.getLogger(__name__)
BANK_LIST_REFRESHED = "payouts:bank-list-refreshed-on-a-miss"
BANK_LIST_REFRESH_SECONDS = 3600

# --- banks --------------------------------------------------------------------------------------


def sync_banks(client, *, currency: str = "NGN") -> int:
    """Upsert Paystack's bank list into Bank (one statement); banks it no longer lists become
    inactive. Returns how many banks Paystack listed."""
    now = timezone.now()
    banks = {}
    for item in gateway.list_banks(client, currency=currency):
        if item.get("code") and not item.get("is_deleted"):
            banks[item["code"]] = Bank(
                code=item["code"],
                name=(item.get("name") or "")[:120],
                slug=(item.get("slug") or "")[:120],
                longcode=item.get("longcode") or "",
                type=item.get("type") or "nuban",
                currency=item.get("currency") or currency,
                country=item.get("country") or "",
                active=bool(item.get("active", True)),
                synced_at=now,
            )
    fields = ["name", "slug", "longcode", "type", "currency", "country", "active", "synced_at"]
    with db.atomic():
        Bank.objects.bulk_create(
            banks.values(), update_conflicts=True, unique_fields=["code"], update_fields=fields
        )
        Bank.objects.filter(currency=currency).exclude(code__in=banks).update(active=False)
    return len(banks)


def ensure_bank_list(client, *, currency: str = "NGN") -> bool:
    """Banks from the first minute (finding 11): a fresh install syncs the list on first use
    instead of waiting for the weekly schedule. Returns whether any bank is listed now."""
    if Bank.objects.filter(active=True, currency=currency).exists():
        return True
    try:
        sync_banks(client, currency=currency)
    except PaystackAPIError as error:
        logger.warning("The bank list could not be synced: %s", error.message)
        return False
    return Bank.objects.filter(active=True, currency=currency).exists()


def active_bank(client, bank_code: str) -> Bank:
    """The listed bank for `bank_code`. An empty list is synced first and, when that fails,
    raises BankListUnavailable, never "no such bank"; an unknown code refreshes the list at
    most once an hour (Paystack may list a bank newer than our weekly sync). UnknownBank."""
    bank = Bank.objects.filter(code=bank_code, active=True).first()
    if bank is not None:
        return bank
    if not ensure_bank_list(client):
        raise BankListUnavailable()
    if bank_code and cache.add(BANK_LIST_REFRESHED, True, timeout=BANK_LIST_REFRESH_SECONDS):
        try:
            sync_banks(client)
        except PaystackAPIError:
            pass  # the list we have stands; the code is not in it
        bank = Bank.objects.filter(code=bank_code, active=True).first()
    if bank is None:
        raise UnknownBank("Choose a bank from the list.")
    return bank


# --- bank accounts ------------------------------------------------------------------------------


def verify_bank_account(client, *, account_number: str, bank_code: str) -> dict:
    """Paystack's resolution of an account: `{"account_number", "account_name", ...}`."""
    account_number = (account_number or "").strip()
    bank_code = (bank_code or "").strip()
    if not (account_number.isascii() and account_number.isdigit()) or len(account_number) != 10:
        raise BankAccountUnavailable("An account number is 10 digits.")
    active_bank(client, bank_code)
    return gateway.resolve_account(client, account_number=account_number, bank_code=bank_code)


def add_bank_account(
    client, *, wallet, bank_code: str, account_number: str, account_name: str | None = None
) -> BankAccount:
    """Resolve the account, register it as a transfer recipient and attach it to the wallet.

    Raises UnknownBank, BankAccountUnavailable (cannot be resolved), AccountNameMismatch (the
    given name is not the bank's), DuplicateBankAccount, PaystackAPIError. Moves no money.
    The owner is told at their address, with the "This wasn't me" link.
    """
    resolved = verify_bank_account(client, account_number=account_number, bank_code=bank_code)
    resolved_name = resolved["account_name"].strip()
    if account_name and _normalise_name(account_name) != _normalise_name(resolved_name):
        raise AccountNameMismatch(
            f"The bank says this account belongs to {resolved_name}, not {account_name.strip()}."
        )
    bank = Bank.objects.get(code=bank_code.strip())
    number = resolved.get("account_number") or account_number.strip()
    existing = wallet.bank_accounts.filter(bank=bank, account_number=number).first()
    if existing is not None and existing.is_active:
        raise DuplicateBankAccount("This bank account is already in your wallet.")
    recipient = gateway.create_recipient(
        client,
        name=resolved_name,
        account_number=number,
        bank_code=bank.code,
        currency=bank.currency,
    )
    account = _save_bank_account(
        wallet, bank, number, resolved_name, recipient["recipient_code"], existing
    )
    send_security_notice(
        user=wallet.user,
        kind="bank_account_added",
        detail=f"{bank.name}, account ending {number[-4:]}, in the name {resolved_name}",
    )
    return account


def _save_bank_account(wallet, bank, number, name, recipient_code, existing) -> BankAccount:
    with db.atomic():
        is_first = not wallet.bank_accounts.filter(is_active=True).exists()
        if existing is not None:
            existing.account_name, existing.recipient_code = name, recipient_code
            existing.is_active, existing.is_default = True, is_first
            existing.save()
            return existing
        return BankAccount.objects.create(
            wallet=wallet,
            bank=bank,
            account_number=number,
            account_name=name,
            recipient_code=recipient_code,
            currency=bank.currency,
            is_default=is_first,
        )


def deactivate_bank_account(bank_account: BankAccount) -> BankAccount:
    """Hide the account from new withdrawals; payouts already sent keep their recipient."""
    with db.atomic():
        bank_account.is_active = False
        bank_account.is_default = False
        bank_account.save(update_fields=["is_active", "is_default", "updated_at"])
        bank_account.settlement_schedules.filter(is_active=True).update(is_active=False)
    return bank_account


def set_default_bank_account(bank_account: BankAccount) -> BankAccount:
    if not bank_account.is_active:
        raise BankAccountUnavailable("This bank account has been removed.")
    with db.atomic():
        BankAccount.objects.filter(wallet_id=bank_account.wallet_id, is_default=True).exclude(
            pk=bank_account.pk
        ).update(is_default=False)
        bank_account.is_default = True
        bank_account.save(update_fields=["is_default", "updated_at"])
    return bank_account


def _normalise_name(name: str) -> str:
    return " ".join(name.upper().replace(",", " ").split())
