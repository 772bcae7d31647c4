"""Saved cards: kept from a successful reusable charge, de-duplicated by Paystack's signature."""

from django.db.models import Q

from wallet.models import Card


def save_card(wallet, data):
    """Keep a reusable card, de-duplicated by Paystack's card signature. Called with the
    wallet row locked, so the card writes of one wallet never race (2 statements)."""
    auth = data.get("authorization") or {}
    code = auth.get("authorization_code")
    if data.get("channel") != "card" or not auth.get("reusable") or not code:
        return None
    customer = data.get("customer") or {}
    signature = str(auth.get("signature") or code)[:100]
    fields = {
        "authorization_code": code,
        "email": customer.get("email") or wallet.user.email,
        "bin": str(auth.get("bin") or "")[:6],
        "last4": str(auth.get("last4") or "")[-4:],
        "exp_month": str(auth.get("exp_month") or "").strip()[:2],
        "exp_year": str(auth.get("exp_year") or "").strip()[:4],
        "brand": str(auth.get("brand") or auth.get("card_type") or "").strip()[:30],
        "bank": str(auth.get("bank") or "").strip()[:100],
        "is_active": True,
    }
    # This card and the wallet's active default, in one read (the default may be this card).
    known = list(
        Card.objects.filter(wallet=wallet).filter(
            Q(signature=signature) | Q(is_default=True, is_active=True)
        )
    )
    card = next((each for each in known if each.signature == signature), None)
    other_default = any(
        each.is_default and each.is_active and each.signature != signature for each in known
    )
    if card is None:
        return Card.objects.create(
            wallet=wallet, signature=signature, is_default=not other_default, **fields
        )
    for name, value in fields.items():
        setattr(card, name, value)
    card.is_default = card.is_default or not other_default
    card.save()
    return card


def ensure_default_card(wallet_id):
    """With the wallet row locked: the newest active card becomes default if none is."""
    cards = Card.objects.filter(wallet_id=wallet_id, is_active=True)
    if not cards.filter(is_default=True).exists():
        newest = cards.order_by("-updated_at").first()
        if newest:
            Card.objects.filter(pk=newest.pk).update(is_default=True)


def card_for(tx):
    data_card = tx.metadata.get("card_id")
    if data_card:
        return Card.objects.filter(pk=data_card).first()
    return None
