"""The documented test cards (PAYSTACK_API.md section 8) and what each one does."""

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    number: str
    cvv: str
    brand: str
    steps: tuple = ()  # "pin", "phone", "otp", "bank_auth", in order
    pin: str | None = None
    otp: str | None = None
    failure: str | None = None  # gateway_response when the charge fails
    refund: str = "processed"  # what a refund of this payment ends as
    note: str = ""

    @property
    def bin(self):
        return self.number[:6]

    @property
    def last4(self):
        return self.number[-4:]

    @property
    def signature(self):
        return "SIG_" + hashlib.sha256(self.number.encode()).hexdigest()[:20]

    @property
    def card_type(self):
        # Paystack's card_type carries a trailing space for visa.
        return {"visa": "visa ", "verve": "verve", "mastercard": "mastercard"}[self.brand]


CARDS = {
    card.number: card
    for card in (
        Card("4084084084084081", "408", "visa", note="Success, no PIN; reusable"),
        Card("507850785078507812", "081", "verve", ("pin",), pin="1111", note="PIN 1111"),
        Card(
            "5060666666666666666",
            "123",
            "verve",
            ("pin", "otp"),
            pin="1234",
            otp="123456",
            note="PIN 1234 then OTP 123456",
        ),
        Card(
            "507850785078507804",
            "884",
            "verve",
            ("pin", "phone", "otp"),
            pin="0000",
            otp="123456",
            note="PIN 0000, then phone, then OTP 123456",
        ),
        Card(
            "5192602720584796",
            "123",
            "mastercard",
            ("bank_auth",),
            note="Bank authorization page; reusable",
        ),
        Card("4084080000005408", "001", "visa", failure="Declined", note="Declined"),
        Card(
            "507850785078507853",
            "082",
            "verve",
            ("pin",),
            pin="0000",
            failure="Token Not Generated. Customer Not Registered on Token Platform",
            note="PIN 0000, then fails: Token Not Generated",
        ),
        Card(
            "4084080000670037",
            "787",
            "visa",
            failure="Insufficient Funds",
            note="Insufficient funds",
        ),
        Card("4084080000671803", "180", "visa", refund="failed", note="Success; refund fails"),
        Card(
            "4084080000671902",
            "190",
            "visa",
            refund="needs-attention",
            note="Success; refund needs attention",
        ),
    )
}


def find_card(number):
    return CARDS.get("".join(ch for ch in str(number or "") if ch.isdigit()))
