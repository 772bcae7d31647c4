"""The back office's global search: whatever a caller reads out, grouped by what it found.

One box takes a phone in any Nigerian format, an e-mail, a handle, a wallet code, a name, a
reference in any case, whole or in part, an amount, a card's last four digits, a bank account
number, or Paystack's ids and codes. Each reading is one query on an index (docs/PERFORMANCE.md):
trigram indexes on UPPER(reference) and e-mail/names serve fragments in any case (migration
0028), plain indexes serve exact numbers and codes. At most GROUP_SIZE rows per group.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

import phonenumbers
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from wallet.exceptions import InvalidAmount
from wallet.models import (
    BankAccount,
    Card,
    DedicatedAccount,
    Payout,
    Refund,
    Transaction,
    Wallet,
    WebhookEvent,
)
from wallet.models.wallet import PUBLIC_ID_ALPHABET, normalise_public_id

GROUP_SIZE = 20
MIN_FRAGMENT = 3  # a trigram index needs three characters; shorter is matched whole only
MAX_TERM = 100
DIGITS = re.compile(r"[0-9]+", re.ASCII)


@dataclass
class SearchResults:
    term: str
    customers: list = field(default_factory=list)
    transactions: list = field(default_factory=list)
    payouts: list = field(default_factory=list)
    refunds: list = field(default_factory=list)
    webhooks: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # how the term was read ("phone +234…")

    @property
    def empty(self) -> bool:
        groups = (self.customers, self.transactions, self.payouts, self.refunds, self.webhooks)
        return not any(groups)


def clean_term(raw: str) -> str:
    """The term as searched: printable, trimmed, bounded."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable())
    return text.strip()[:MAX_TERM]


def phone_of(term: str) -> str | None:
    """+234… when the term is a Nigerian phone however written (0803 000 0001, 2348030000001,
    +234 803 000 0001, 803-000-0001); None otherwise."""
    digits = "".join(DIGITS.findall(term))
    if not 10 <= len(digits) <= 14 or re.search(r"[A-Za-z@]", term):
        return None
    try:
        number = phonenumbers.parse(term if term.startswith("+") else digits, "NG")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def amount_of(term: str) -> Decimal | None:
    from wallet.amounts import parse_amount_text

    text = term.replace("₦", "").replace("NGN", "").strip()
    if not text or not re.fullmatch(r"[0-9.,]+", text, re.ASCII):
        return None
    try:
        return parse_amount_text(text)
    except InvalidAmount:
        return None


def global_search(raw: str, *, may_see=lambda group: True) -> SearchResults:
    """Every group the viewer may see (`may_see(group)`), each bounded."""
    term = clean_term(raw)
    results = SearchResults(term=term)
    if not term:
        return results
    if may_see("customers"):
        results.customers = _customers(term, results.notes)
    if may_see("transactions"):
        results.transactions = _transactions(term, results.notes)
    if may_see("payouts"):
        results.payouts = _payouts(term)
    if may_see("refunds"):
        results.refunds = _refunds(term)
    if may_see("webhooks"):
        results.webhooks = _webhooks(term)
    return results


def _customers(term: str, notes: list) -> list:
    User = get_user_model()
    ids: list[int] = []
    phone = phone_of(term)
    if phone:
        notes.append(f"phone {phone}")
        ids += User.objects.filter(phone=phone).values_list("pk", flat=True)[:GROUP_SIZE]
    if "@" in term and len(term) >= MIN_FRAGMENT:
        ids += User.objects.filter(email__icontains=term).values_list("pk", flat=True)[:GROUP_SIZE]
    handle = term.lstrip("@").lower()
    if re.fullmatch(r"[a-z0-9_.]{3,20}", handle):
        ids += (
            User.objects.annotate(lower_handle=Lower("handle"))
            .filter(lower_handle=handle)
            .values_list("pk", flat=True)[:1]
        )
    ids += _wallet_owner(term)
    ids += _owners_by_number(term)
    ids += _by_name(term)
    unique = list(dict.fromkeys(ids))[:GROUP_SIZE]
    found = User.objects.filter(pk__in=unique).prefetch_related("wallets")
    return sorted(found, key=lambda user: unique.index(user.pk))


def _wallet_owner(term: str) -> list:
    code = normalise_public_id(term)
    if len(code) != 10 or any(ch not in PUBLIC_ID_ALPHABET for ch in code):
        return []
    return list(Wallet.objects.filter(public_id=code).values_list("user_id", flat=True)[:1])


def _owners_by_number(term: str) -> list:
    """A card's last four digits, a bank account or dedicated account number, a customer code."""
    digits = term.replace(" ", "")
    owners = []
    if re.fullmatch(r"[0-9]{4}", digits):
        owners += Card.objects.filter(last4=digits).values_list("wallet__user_id", flat=True)[
            :GROUP_SIZE
        ]
    if re.fullmatch(r"[0-9]{10}", digits):
        owners += BankAccount.objects.filter(account_number=digits).values_list(
            "wallet__user_id", flat=True
        )[:GROUP_SIZE]
        owners += DedicatedAccount.objects.filter(account_number=digits).values_list(
            "wallet__user_id", flat=True
        )[:1]
    if term.upper().startswith("CUS_"):
        owners += DedicatedAccount.objects.filter(customer_code=term).values_list(
            "wallet__user_id", flat=True
        )[:1]
    return owners


def _by_name(term: str) -> list:
    words = [w for w in term.split() if len(w) >= MIN_FRAGMENT and w.isalpha()]
    if not words or len(words) > 3:
        return []
    User = get_user_model()
    query = Q()
    for word in words:
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(User.objects.filter(query).values_list("pk", flat=True)[:GROUP_SIZE])


def _transactions(term: str, notes: list) -> list:
    rows = Transaction.objects.select_related("wallet__user").order_by("-id")
    found = []
    if len(term) >= MIN_FRAGMENT and not term.isspace():
        found += rows.filter(reference__icontains=term)[:GROUP_SIZE]
    amount = amount_of(term)
    if amount is not None and amount > 0:
        notes.append(f"amount ₦{amount:,.2f}, newest first")
        found += rows.filter(amount=amount)[:GROUP_SIZE]  # the (amount, -id) index
    seen, unique = set(), []
    for tx in found:
        if tx.pk not in seen:
            seen.add(tx.pk)
            unique.append(tx)
    return unique[:GROUP_SIZE]


def _payouts(term: str) -> list:
    rows = Payout.objects.select_related("transaction__wallet__user", "bank_account__bank")
    digits = term.replace(" ", "")
    if re.fullmatch(r"[0-9]{10}", digits):
        return list(rows.filter(bank_account__account_number=digits).order_by("-id")[:GROUP_SIZE])
    if term.upper().startswith("TRF_"):
        return list(rows.filter(transfer_code=term).order_by("-id")[:GROUP_SIZE])
    if len(term) < MIN_FRAGMENT:
        return []
    return list(rows.filter(reference__icontains=term).order_by("-id")[:GROUP_SIZE])


def _refunds(term: str) -> list:
    rows = Refund.objects.select_related("charge__wallet__user", "transaction").order_by("-id")
    query = Q()
    if term.isdigit() and len(term) <= 18:
        query |= Q(paystack_refund_id=int(term))
    if len(term) >= MIN_FRAGMENT:
        charges = Transaction.objects.filter(reference__icontains=term).values("pk")[:GROUP_SIZE]
        query |= Q(charge__in=charges)
    return list(rows.filter(query)[:GROUP_SIZE]) if query else []


def _webhooks(term: str) -> list:
    if len(term) < MIN_FRAGMENT:
        return []
    rows = WebhookEvent.objects.select_related("customer").order_by("-id")
    return list(rows.filter(reference__icontains=term).defer("raw_body", "payload")[:GROUP_SIZE])
