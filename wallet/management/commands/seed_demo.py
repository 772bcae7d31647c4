"""Demo data for `make run`: two customers, a superuser and one staff user per back-office role
(each with TOTP from a known secret, printed), with known passwords, and a lived-in wallet:
about four months of salary, card top-ups, transfers between the two customers, bill payments
and a reversal.

Every kobo is posted through the real services and ledger. To give the history its past,
each operation runs with Django's clock set to the moment it "happened" (auto_now_add and
the daily-limit date read `django.utils.timezone.now`), so transactions and ledger rows carry
the same, consistent timestamps; nothing is edited afterwards (ledger rows cannot be).
"""

import datetime as dt
import random
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

DEMO_PASSWORD = "wallet-demo-2026"
# The customers' transaction PIN, asked on every payment (issue 12).
DEMO_PIN = "2468"
DEMO_USERS = [
    # email, first name, last name, is_staff
    ("ada@example.com", "Ada", "Obi", False),
    ("bola@example.com", "Bola", "Ade", False),
    ("staff@example.com", "Staff", "Member", True),
]
# email, first name, role (None: superuser), TOTP secret. The back office requires TOTP: add the
# secret to any authenticator app (or use the otpauth:// link printed by seed_demo).
DEMO_STAFF = [
    ("staff@example.com", "Staff", None, "STAFFDEMOTOTPKEY"),
    ("support@example.com", "Sade", "Support", "SUPPORTDEMOTOTPK"),
    ("finance@example.com", "Femi", "Finance", "FINANCEDEMOTOTPK"),
    ("finance2@example.com", "Funke", "Finance", "FINANCETWOTOTPKE"),
    ("operations@example.com", "Obi", "Operations", "OPERATIONSTOTPKE"),
    ("auditor@example.com", "Amaka", "Auditor", "AUDITORDEMOTOTPK"),
    ("access@example.com", "Adaeze", "Access approver", "ACCESSAPPROVERKE"),
]
# How other customers find them: send to @ada, to 0803 000 0001, or to ada@example.com.
DEMO_IDENTITIES = {
    "ada@example.com": ("+2348030000001", "ada"),
    "bola@example.com": ("+2348030000002", "bola"),
    "staff@example.com": ("+2348030000003", "staff_member"),
    "support@example.com": ("+2348030000011", "sade_support"),
    "finance@example.com": ("+2348030000012", "femi_finance"),
    "finance2@example.com": ("+2348030000013", "funke_finance"),
    "operations@example.com": ("+2348030000014", "obi_operations"),
    "auditor@example.com": ("+2348030000015", "amaka_auditor"),
    "access@example.com": ("+2348030000016", "adaeze_access"),
}
DEMO_TOKEN_NAME = "Demo API token"
HISTORY_DAYS = 120
BILLS = [
    ("Electricity (IKEDC prepaid)", 8_000, 25_000),
    ("MTN airtime", 1_000, 5_000),
    ("DStv Compact", 15_700, 15_700),
    ("Groceries, Shoprite Lekki", 6_000, 38_000),
    ("Uber trips", 2_500, 9_000),
    ("Internet (Spectranet)", 18_000, 18_000),
]
TRANSFER_NOTES = [
    "Lunch at Yellow Chilli",
    "Suya night",
    "Rent share",
    "Cinema tickets",
    "Owambe aso-ebi",
    "Fuel money",
    "Birthday gift",
    "Paying you back",
]


class Command(BaseCommand):
    help = "Create the demo users and their transaction history (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = [self._ensure_user(*spec) for spec in DEMO_USERS]
            for spec in DEMO_STAFF:
                self._ensure_staff(*spec)
        self._verify_customers(users[0], users[1])
        self._seed_history(users[0], users[1])
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for email, _first, _last, is_staff in DEMO_USERS:
            if is_staff:
                continue  # listed below with their role and TOTP secret
            phone, handle = DEMO_IDENTITIES[email]
            pin = f"  (transaction PIN {DEMO_PIN})"
            self.stdout.write(f"  {email}  handle @{handle}  phone {phone}{pin}")
        self.stdout.write("Back office at /admin/ (staff sign in with password, then a TOTP code):")
        for email, _first, role, secret in DEMO_STAFF:
            uri = (
                f"otpauth://totp/Paystack%20Wallet:{email}?secret={secret}&issuer=Paystack%20Wallet"
            )
            self.stdout.write(f"  {email:24} {role or 'superuser':15} TOTP secret {secret}  {uri}")
        self._demo_api_token(users[0])

    def _demo_api_token(self, user):
        """A fresh API token for trying /wallet/api/v1/ (the previous demo one is revoked:
        a token's secret is never stored, so it cannot be printed twice)."""
        from wallet.services.api_tokens import issue_token, live_tokens, revoke_token

        for old in live_tokens(user=user).filter(name=DEMO_TOKEN_NAME):
            revoke_token(token=old)
        _, secret = issue_token(user=user, name=DEMO_TOKEN_NAME, scope="money", days=30)
        self.stdout.write(f"Demo API token for {user.email} (read and move money, 30 days):")
        self.stdout.write(f"  {secret}")
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(f"  curl -H 'Authorization: Bearer {secret}' {site}/wallet/api/v1/me/")

    def _ensure_staff(self, email, first_name, role, secret):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP
        from django.contrib.auth.models import Group

        user = self._ensure_user(email, first_name, role or "Member", True, is_superuser=not role)
        if role:
            user.groups.add(Group.objects.get(name=role))
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)

    def _ensure_user(self, email, first_name, last_name, is_staff, is_superuser=None):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": is_staff,
                "is_superuser": is_staff if is_superuser is None else is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        _complete_identity(user)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _verify_customers(self, *customers):
        """Known PINs, and Tier 3 (as if their NIN was verified) so a salary fits the limits."""
        from wallet.models import TierChange
        from wallet.services.outflows.pin import has_pin, set_first_pin
        from wallet.services.outflows.tiers import ensure_default_tiers, move_wallet_to_tier
        from wallet.services.wallet_service import WalletService

        ensure_default_tiers()
        for user in customers:
            if not has_pin(user):
                set_first_pin(user, DEMO_PIN)
            wallet = WalletService().get_wallet(user)
            if wallet.tier < 3:
                move_wallet_to_tier(
                    wallet, 3, source=TierChange.Source.STAFF, reason="Demo customer, verified"
                )

    def _seed_history(self, ada, bola):
        from wallet.services.notifications.service import history_without_emails, mark_all_read
        from wallet.services.wallet_service import WalletService

        service = WalletService()
        ada_wallet, bola_wallet = service.get_wallet(ada), service.get_wallet(bola)
        if ada_wallet.transactions.exists():
            self.stdout.write("Demo history already present; left as it is.")
            return
        story = DemoStory(service, ada_wallet, bola_wallet, random.Random(2026))
        # The worker's tasks (telling both sides of each transfer) run inline here, so the
        # history's notifications exist before the bell is cleared and none is e-mailed.
        with history_without_emails(), tasks_inline():
            count = story.play(days=HISTORY_DAYS)
        for user in (ada, bola):  # months-old news: read long ago, so the bell starts at 0
            mark_all_read(user=user)
        self.stdout.write(f"Posted {count} demo operations over {HISTORY_DAYS} days.")


@contextmanager
def tasks_inline():
    """django-q2's documented synchronous mode, for the length of the block."""
    from django_q.conf import Conf

    was, Conf.SYNC = Conf.SYNC, True
    try:
        yield
    finally:
        Conf.SYNC = was


def _complete_identity(user):
    """Phone and handle for a demo user made before they existed (kept when already set)."""
    phone, handle = DEMO_IDENTITIES[user.email]
    user.phone = user.phone or phone
    user.handle = user.handle or handle
    user.save(update_fields=["phone", "handle"])


@contextmanager
def clock_at(moment: dt.datetime):
    """Run services as if at `moment`: timestamps written by Django read this clock."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _naira(rng, low, high):
    return Decimal(rng.randrange(low // 50, high // 50 + 1) * 50)


class DemoStory:
    """A plausible few months for Ada (and Bola), played day by day through the services."""

    def __init__(self, service, ada_wallet, bola_wallet, rng):
        self.service, self.ada, self.bola, self.rng = service, ada_wallet, bola_wallet, rng
        self.count = 0

    def play(self, *, days):
        from wallet.exceptions import WalletError

        start = timezone.localdate() - dt.timedelta(days=days)
        for offset in range(days + 1):
            day = start + dt.timedelta(days=offset)
            for hour, action in self._plan(day):
                moment = timezone.make_aware(
                    dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)))
                )
                if moment >= timezone.now():
                    continue
                with clock_at(moment):
                    try:
                        action()
                        self.count += 1
                    except WalletError:
                        pass  # e.g. a payment Ada could not afford that day: skip it, as she would
        return self.count

    def _plan(self, day):
        rng, plan = self.rng, []
        if day.day == 25 or self.count == 0:
            plan.append((9, lambda: self._deposit(self.ada, Decimal("420000"), "Salary, Kuda MFB")))
            plan.append((10, lambda: self._deposit(self.bola, Decimal("310000"), "Salary")))
        if rng.random() < 0.18:
            amount = _naira(rng, 5_000, 50_000)
            plan.append(
                (rng.randrange(8, 21), lambda: self._deposit(self.ada, amount, "Card top-up"))
            )
        if rng.random() < 0.45:
            label, low, high = rng.choice(BILLS)
            amount = _naira(rng, low, high)
            plan.append((rng.randrange(7, 22), lambda: self._pay(self.ada, amount, label)))
        if rng.random() < 0.35:
            amount, note = _naira(rng, 1_500, 45_000), rng.choice(TRANSFER_NOTES)
            plan.append(
                (rng.randrange(9, 23), lambda: self._send(self.ada, self.bola, amount, note))
            )
        if rng.random() < 0.2:
            amount, note = _naira(rng, 1_000, 20_000), rng.choice(TRANSFER_NOTES)
            plan.append(
                (rng.randrange(9, 23), lambda: self._send(self.bola, self.ada, amount, note))
            )
        if day == timezone.localdate() - dt.timedelta(days=12):
            plan.append((15, self._mistaken_transfer_reversed))
        return sorted(plan, key=lambda item: item[0])

    def _deposit(self, wallet, amount, description):
        self.service.deposit(wallet=wallet, amount=amount, description=description)

    def _pay(self, wallet, amount, description):
        self.service.withdraw(wallet=wallet, amount=amount, description=description)

    def _send(self, source, destination, amount, description):
        self.service.transfer(
            source_wallet=source,
            destination_wallet=destination,
            amount=amount,
            description=description,
        )

    def _mistaken_transfer_reversed(self):
        from wallet.services.transaction_service import TransactionService

        sent = self.service.transfer(
            source_wallet=self.ada,
            destination_wallet=self.bola,
            amount=Decimal("50000"),
            description="Sent twice by mistake",
        )
        TransactionService().reverse_transaction(sent, reason="Duplicate payment, returned")
