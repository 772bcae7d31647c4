"""FundingOperations: card checkout, saved cards and dedicated accounts (mixed into
WalletService). Every path that learns a charge succeeded ends in the one credit path of
`charges`; Paystack is called only outside database transactions."""

from django.conf import settings
from django.db import transaction as db

from wallet.exceptions import (
    CardChargeFailed,
    CardInactive,
    PaystackAPIError,
    PaystackUnavailable,
    WalletLocked,
)
from wallet.models import Card, Channel, DedicatedAccount, Transaction, TransactionStatus, Wallet
from wallet.paystack import to_subunit
from wallet.paystack.money import check_charge_minimum
from wallet.services.funding.cards import ensure_default_card
from wallet.services.funding.charges import (
    FINAL_FAILURES,
    apply_charge_report,
    credit_successful_charge,
    find_charge,
    mark_charge_failed,
    start_deposit,
)
from wallet.services.funding.checkout import cancel_url, check_callback_url, default_callback_url
from wallet.services.funding.dedicated_accounts import (
    credit_dedicated_transfer,
    save_dedicated_account,
)
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.posting import lock_wallets

# What moved a deposit, for its status changes (the back-office timeline).
SETTLE_VIA = "Paystack's verify (the payer came back, or the customer asked)"
SAVED_CARD_VIA = "Paystack's answer to the saved-card charge"


class FundingOperations:
    """Card checkout, saved cards and dedicated accounts (mixed into WalletService)."""

    # --- Card checkout ------------------------------------------------------------------------
    def initialize_card_charge(
        self, wallet, amount, email, callback_url, reference=None, metadata=None
    ) -> dict:
        """Start a card payment into `wallet`; returns Paystack's `authorization_url`,
        `access_code` and `reference`. Stores a PENDING deposit first; moves no money.

        Raises InvalidAmount, WalletLocked, InvalidCallbackURL, PaystackAPIError (the pending
        row is then marked failed) or PaystackUnavailable (left pending for reconciliation).
        """
        amount = check_amount(amount)
        check_charge_minimum(amount, wallet.currency)
        callback_url = callback_url or default_callback_url()
        check_callback_url(callback_url)
        if Wallet.objects.filter(pk=wallet.pk, is_locked=True).exists():
            raise WalletLocked()
        tx, created = start_deposit(
            wallet=wallet,
            amount=amount,
            channel=Channel.CARD,
            reference=reference,
            description="Card deposit",
            metadata={"email": email, "callback_url": callback_url, **(metadata or {})},
        )
        if not created and tx.metadata.get("authorization_url"):
            return _checkout_answer(tx)
        try:
            data = self.paystack.initialize_transaction(
                email=email,
                amount_kobo=to_subunit(amount),
                currency=tx.currency,
                reference=tx.reference,
                callback_url=callback_url,
                metadata={"wallet_id": wallet.pk, "cancel_action": cancel_url(callback_url, tx)},
            )
        except PaystackUnavailable:
            raise PaystackUnavailable(
                "The payment page could not be opened because Paystack did not answer. "
                "No money was taken; please try again."
            )
        except PaystackAPIError as error:
            # Paystack's own words are for staff (the failure reason), not for the payer.
            mark_charge_failed(tx, f"Paystack refused to start the payment: {error.message}")
            raise PaystackAPIError(
                "The payment could not be started; no money was taken. Please try again.",
                http_status=error.http_status,
                code=error.code,
                error_type=error.error_type,
            )
        tx.metadata.update(
            authorization_url=data.get("authorization_url", ""),
            access_code=data.get("access_code", ""),
        )
        Transaction.objects.filter(pk=tx.pk).update(metadata=tx.metadata)
        return {**data, "reference": tx.reference}

    def verify_card_charge(self, reference) -> dict:
        """Paystack's own record of the charge (`data`: status, amount in kobo, currency,
        authorization...). Reads only; raises PaystackAPIError for an unknown reference."""
        return self.paystack.verify_transaction(reference)

    def process_successful_card_charge(self, transaction_data, wallet=None):
        """Credit a successful charge to the wallet that started it, once per reference;
        returns `(wallet, transaction, card)` (card is None when it is not reusable).

        Whoever calls it, in any order or at once, the wallet is credited once. It refuses,
        records a ChargeAnomaly and raises a ChargeNotCredited subclass when the status is not
        success, the amount or currency differ from what was initialized, the reference is
        unknown, or (when `wallet` is given) it belongs to another wallet.
        """
        return credit_successful_charge(transaction_data, wallet=wallet)

    def settle_card_charge(self, reference, wallet=None, cancelled=False):
        """Ask Paystack how the charge `reference` ended and apply it: success credits (once),
        a final failure marks the deposit failed, anything else leaves it pending (or
        abandoned when the payer cancelled). Returns the Transaction. Raises
        ChargeNotCredited for a reference that is not ours / not `wallet`'s, PaystackAPIError
        when Paystack cannot say."""
        tx = find_charge(reference, wallet)
        if tx.status == TransactionStatus.SUCCESS:
            return tx
        data = self.verify_card_charge(tx.reference)
        return apply_charge_report(tx, data, cancelled=cancelled, via=SETTLE_VIA)

    # --- Saved cards --------------------------------------------------------------------------
    def charge_saved_card(self, card, amount, reference=None) -> dict:
        """Charge a saved card into its wallet (Paystack charge_authorization).

        Returns {"status": "success" | "paused" | <pending status>, "reference",
        "transaction_id", "amount", "message", "authorization_url" (when paused: send the
        payer there to finish 2FA)}. On success the wallet is credited once, as for checkout.
        Raises InvalidAmount, CardInactive, WalletLocked, CardChargeFailed (declined; nothing
        moved), PaystackUnavailable (outcome unknown: reconciliation settles it).
        """
        amount = check_amount(amount)
        card = Card.objects.select_related("wallet").get(pk=card.pk)
        check_charge_minimum(amount, card.wallet.currency)
        if not card.is_active:
            raise CardInactive()
        if card.wallet.is_locked:
            raise WalletLocked()
        tx, created = start_deposit(
            wallet=card.wallet,
            amount=amount,
            channel=Channel.CARD,
            reference=reference,
            description=f"Deposit from {card}",
            metadata={"card_id": card.pk, "source": "saved_card"},
        )
        if not created:
            return _saved_card_answer(tx, tx.status, "Already requested")
        try:
            data = self.paystack.charge_authorization(
                authorization_code=card.authorization_code,
                email=card.email,
                amount_kobo=to_subunit(amount),
                currency=tx.currency,
                reference=tx.reference,
            )
        except PaystackUnavailable:
            raise PaystackUnavailable(
                "We could not confirm the card charge with Paystack. If it went through, your "
                "wallet will be credited automatically within a few minutes."
            )
        except PaystackAPIError as error:
            mark_charge_failed(tx, f"Card charge refused: {error.message}")
            raise CardChargeFailed(f"Your card could not be charged: {error.message}")
        return self._apply_saved_card_answer(tx, data)

    def _apply_saved_card_answer(self, tx, data) -> dict:
        if data.get("paused"):
            tx.metadata["authorization_url"] = data.get("authorization_url", "")
            Transaction.objects.filter(pk=tx.pk).update(metadata=tx.metadata)
            return _saved_card_answer(tx, "paused", "Your bank needs you to authorize this charge")
        status = data.get("status")
        if status == "success":
            tx = credit_successful_charge(data, wallet=tx.wallet, via=SAVED_CARD_VIA)[1]
            return _saved_card_answer(tx, "success", data.get("gateway_response") or "Approved")
        if status in FINAL_FAILURES:
            reason = data.get("gateway_response") or "Declined"
            mark_charge_failed(tx, f"Card declined: {reason}", via=SAVED_CARD_VIA)
            raise CardChargeFailed(f"Your card was declined: {reason}.")
        return _saved_card_answer(tx, status or "pending", "Waiting for the bank's answer")

    def deactivate_card(self, card) -> Card:
        """Remove a saved card from the wallet (kept for history, never charged again)."""
        with db.atomic():
            lock_wallets([card.wallet_id])
            Card.objects.filter(pk=card.pk).update(is_active=False, is_default=False)
            ensure_default_card(card.wallet_id)
        card.refresh_from_db()
        return card

    def set_default_card(self, card) -> Card:
        """Make `card` the wallet's default card."""
        if not card.is_active:
            raise CardInactive()
        with db.atomic():
            lock_wallets([card.wallet_id])
            Card.objects.filter(wallet_id=card.wallet_id, is_default=True).update(is_default=False)
            Card.objects.filter(pk=card.pk).update(is_default=True)
        card.refresh_from_db()
        return card

    # --- Dedicated virtual accounts -----------------------------------------------------------
    def request_dedicated_account(self, wallet) -> DedicatedAccount:
        """The wallet's dedicated bank account number, created at Paystack on first request
        (customer + dedicated virtual account). Moves no money. Raises PaystackAPIError."""
        existing = DedicatedAccount.objects.filter(wallet=wallet).first()
        if existing:
            return existing
        user = wallet.user
        customer = self.paystack.create_customer(
            email=user.email,
            first_name=getattr(user, "first_name", "") or user.email.split("@")[0],
            last_name=getattr(user, "last_name", "") or "Wallet",
        )
        data = self.paystack.assign_dedicated_account(
            customer=customer["customer_code"],
            preferred_bank=settings.PAYSTACK_DVA_BANK,
        )
        return save_dedicated_account(wallet, customer["customer_code"], data)

    def credit_dedicated_account_transfer(self, transaction_data):
        """Credit a bank transfer received on a dedicated account (`charge.success`, channel
        `dedicated_nuban`) once per Paystack reference; returns `(wallet, transaction, None)`.
        Raises UnknownChargeReference when no wallet owns the receiving account."""
        return credit_dedicated_transfer(transaction_data)


def _checkout_answer(tx):
    return {
        "authorization_url": tx.metadata["authorization_url"],
        "access_code": tx.metadata.get("access_code", ""),
        "reference": tx.reference,
    }


def _saved_card_answer(tx, status, message):
    return {
        "status": status,
        "message": message,
        "reference": tx.reference,
        "transaction_id": tx.pk,
        "amount": str(tx.amount),
        "authorization_url": tx.metadata.get("authorization_url", ""),
    }
