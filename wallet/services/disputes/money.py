"""The money of a dispute (docs/disputes.md): hold on open, release or loss on resolution,
recovery of the exposure later. Each step is one database transaction, exactly once: the
Dispute row is the business row (locked first), then the wallet; a final dispute never moves
again; unique references and `paystack_id` back it up.

Postings (X disputed, Y held from the wallet, E = X - Y not covered, L lost, h = min(Y, L)):
- open:   wallet -Y, disputes_held +Y (the customer's "Held" row);
          dispute_exposure -E, disputes_held +E (on the deposit's journal)
- won:    disputes_held -Y, wallet +Y ("Released"); disputes_held -E, dispute_exposure +E
- lost:   disputes_held -(Y-h), wallet +(Y-h) ("Released", when L < Y);
          disputes_held -(h+E), paystack +L, dispute_exposure +(E-s) where s = L - h
          then, by DISPUTE_EXPOSURE_POLICY: "loss" -> dispute_exposure +s, dispute_losses -s;
          "recover" -> s stays exposure until money comes into the wallet (recover_exposure)
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction as db
from django.utils import timezone

from wallet.models import (
    Direction,
    Dispute,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.services.ledger.posting import Leg, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.ledger.status_log import record_status_change
from wallet.services.notifications import events as notification_events

ZERO = Decimal("0.00")
HELD = SystemAccount.DISPUTES_HELD
EXPOSURE = SystemAccount.DISPUTE_EXPOSURE
# What the customer reads on these rows: fixed words, never staff's.
HOLD_WORDS = "Held while a card payment is disputed"
RELEASE_WORDS = "Released"
REPAID_WORDS = "Repaid after a card payment dispute"
LOSS, RECOVER = "loss", "recover"


def exposure_policy() -> str:
    policy = getattr(settings, "DISPUTE_EXPOSURE_POLICY", LOSS)
    return policy if policy in (LOSS, RECOVER) else LOSS


@retry_on_conflict
def open_dispute(*, paystack_id: int, deposit: Transaction, amount: Decimal, **fields) -> Dispute:
    """Record a new dispute and hold its amount in the wallet the deposit funded: as much as
    the wallet holds (`held`), the rest recorded as exposure (`not_covered`). Raises
    IntegrityError when this Paystack dispute is already recorded (nothing is written)."""
    with db.atomic():
        wallet = lock_wallets([deposit.wallet_id])[deposit.wallet_id]
        held = min(max(wallet.balance, ZERO), amount)
        not_covered = amount - held
        hold = None
        if held:
            hold = _row(
                wallet,
                f"dispute-{paystack_id}-hold",
                Direction.DEBIT,
                held,
                HOLD_WORDS,
                deposit,
                TransactionStatus.PENDING,
            )
            post(
                journal=hold,
                legs=[Leg(wallet=wallet, amount=-held), Leg(account=HELD, amount=held)],
            )
            notification_events.hold_placed(  # in the bell now, e-mailed after the commit
                user=wallet.user,
                amount=held,
                reason_for_customer="the bank of a card you paid into your wallet with has "
                "disputed that payment. We hold the amount until the dispute ends; if it "
                "ends in your favour it is released to you.",
                event_key=f"dispute:{paystack_id}",
                transaction=hold,
            )
        if not_covered:
            post(
                journal=deposit,
                legs=[
                    Leg(account=EXPOSURE, amount=-not_covered),
                    Leg(account=HELD, amount=not_covered),
                ],
            )
        return Dispute.objects.create(
            paystack_id=paystack_id,
            deposit=deposit,
            wallet=wallet,
            hold=hold,
            currency=deposit.currency,
            amount=amount,
            held=held,
            not_covered=not_covered,
            **fields,
        )


@retry_on_conflict
def resolve_dispute(
    dispute_id: int, *, won: bool, lost_amount: Decimal = ZERO, **fields
) -> Dispute:
    """Won: everything goes back where it came from. Lost: `lost_amount` leaves through
    Paystack clearing, taken from the hold first; what the hold did not cover is exposure,
    written off or kept for recovery by DISPUTE_EXPOSURE_POLICY. Once: a resolved dispute is
    returned unchanged."""
    with db.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
        if not dispute.is_open:
            return dispute
        wallet = lock_wallets([dispute.wallet_id])[dispute.wallet_id]
        lost = ZERO if won else min(lost_amount, dispute.deposit.amount)
        from_hold = min(dispute.held, lost)
        shortfall = lost - from_hold
        give_back = dispute.held - from_hold
        if give_back:
            release = _row(
                wallet,
                f"dispute-{dispute.paystack_id}-release",
                Direction.CREDIT,
                give_back,
                RELEASE_WORDS,
                dispute.deposit,
                TransactionStatus.SUCCESS,
            )
            post(
                journal=release,
                legs=[Leg(account=HELD, amount=-give_back), Leg(wallet=wallet, amount=give_back)],
            )
            dispute.release = release
        legs = [
            Leg(account=HELD, amount=-(from_hold + dispute.not_covered)),
            Leg(account=SystemAccount.PAYSTACK, amount=lost),
            Leg(account=EXPOSURE, amount=dispute.not_covered - shortfall),
        ]
        if shortfall and exposure_policy() == LOSS:
            legs += [
                Leg(account=EXPOSURE, amount=shortfall),
                Leg(account=SystemAccount.DISPUTE_LOSSES, amount=-shortfall),
            ]
            dispute.written_off = shortfall
        post(journal=dispute.deposit, legs=legs)
        if dispute.hold_id:
            # The hold row is created pending and moves only here, once.
            Transaction.objects.filter(pk=dispute.hold_id).update(
                status=TransactionStatus.SUCCESS, completed_at=timezone.now()
            )
            record_status_change(
                dispute.hold_id, TransactionStatus.PENDING, TransactionStatus.SUCCESS,
                f"dispute {'won' if won else 'lost'}: the hold ended",
            )  # fmt: skip
        dispute.status = Dispute.Status.WON if won else Dispute.Status.LOST
        dispute.lost_amount, dispute.shortfall = lost, shortfall
        for name, value in fields.items():
            setattr(dispute, name, value)
        dispute.save()
    if dispute.outstanding:
        recover_exposure(wallet_id=dispute.wallet_id)
    return dispute


@retry_on_conflict
def recover_exposure(*, wallet_id: int) -> Decimal:
    """Take what the wallet holds now towards its lost disputes' outstanding exposure
    (DISPUTE_EXPOSURE_POLICY "recover"), oldest first. Returns the amount recovered."""
    with db.atomic():
        owing = list(
            Dispute.objects.select_for_update()
            .filter(wallet_id=wallet_id, status=Dispute.Status.LOST)
            .order_by("pk")
        )
        owing = [d for d in owing if d.outstanding > 0]
        if not owing:
            return ZERO
        wallet = lock_wallets([wallet_id])[wallet_id]
        total = ZERO
        for dispute in owing:
            take = min(wallet.balance, dispute.outstanding)
            if take <= 0:
                break
            repaid = _row(
                wallet,
                new_reference("dispute-repaid"),
                Direction.DEBIT,
                take,
                REPAID_WORDS,
                dispute.deposit,
                TransactionStatus.SUCCESS,
            )
            post(
                journal=repaid,
                legs=[Leg(wallet=wallet, amount=-take), Leg(account=EXPOSURE, amount=take)],
            )
            Dispute.objects.filter(pk=dispute.pk).update(recovered=dispute.recovered + take)
            total += take
        return total


def recover_after_credit(wallet_id: int) -> None:
    """Money came into the wallet (a card or bank-transfer deposit): under the "recover"
    policy, take what its lost disputes still owe once this transaction commits. Under "loss"
    nothing is ever owed, and this costs nothing."""
    if exposure_policy() == RECOVER:
        db.on_commit(lambda: recover_exposure(wallet_id=wallet_id))


def recover_all(limit: int = 500) -> Decimal:
    """The reconcile job's sweep: every wallet with outstanding exposure and money in it."""
    from django.db.models import F

    wallet_ids = (
        Dispute.objects.filter(status=Dispute.Status.LOST, wallet__balance__gt=0)
        .filter(shortfall__gt=F("recovered") + F("written_off"))
        .values_list("wallet_id", flat=True)
        .distinct()[:limit]
    )
    return sum((recover_exposure(wallet_id=pk) for pk in list(wallet_ids)), ZERO)


def _row(wallet, reference, direction, amount, words, deposit, status) -> Transaction:
    now = timezone.now()
    return Transaction.objects.create(
        wallet=wallet,
        reference=reference,
        transaction_type=TransactionType.DISPUTE,
        direction=direction,
        status=status,
        amount=amount,
        currency=wallet.currency,
        description=words,
        related_transaction=deposit,
        completed_at=None if status == TransactionStatus.PENDING else now,
    )
