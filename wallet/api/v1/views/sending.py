"""Send money to another wallet, found by @handle, e-mail, phone or wallet code (never by its
sequential id), and look a recipient up first (a masked name, never their e-mail, phone or
balance)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from wallet import selectors
from wallet.api.decorators import reference_for_key
from wallet.api.responses import ApiError
from wallet.api.v1 import serializers as out
from wallet.api.v1.idempotency import idempotent
from wallet.api.v1.inputs import RecipientQuery, TransferInput
from wallet.api.v1.views.base import MoneyView, confirm_pin, valid
from wallet.services.wallet_service import WalletService


def recipient_wallet(query: str, sender):
    """The wallet `query` names (handle, e-mail, phone or wallet code), never the sender's own;
    ApiError else."""
    recipient = selectors.find_recipient(query, currency=sender.currency)
    if recipient is None:
        raise ApiError(404, "recipient_not_found", "No wallet found for that recipient.")
    if recipient.pk == sender.pk:
        raise ApiError(422, "same_wallet", "You cannot send money to your own wallet.")
    return recipient


class RecipientLookupView(MoneyView):
    # Throttled like money: a lookup answers "does this person have a wallet?".
    throttle_reads = True

    @extend_schema(
        operation_id="me_recipient_lookup",
        parameters=[RecipientQuery],
        responses=out.RecipientSerializer,
    )
    def get(self, request):
        query = valid(RecipientQuery, request.query_params)["q"]
        recipient = recipient_wallet(query.strip(), self.wallet())
        data = {"wallet_code": recipient.public_code, "name": selectors.masked_name(recipient.user)}
        return Response(out.RecipientSerializer(data).data)


class TransferView(MoneyView):
    @extend_schema(
        operation_id="me_transfer_create",
        request=TransferInput,
        responses={201: out.TransferSerializer},
    )
    @idempotent
    def post(self, request):
        data = valid(TransferInput, request.data)
        confirm_pin(request, data)
        source = self.wallet()
        destination = recipient_wallet(data["recipient"].strip(), source)
        transaction = WalletService().transfer(
            source_wallet=source,
            destination_wallet=destination,
            amount=data["amount"],
            description=data.get("description", "").strip()
            or f"Transfer to {selectors.masked_name(destination.user)}",
            reference=reference_for_key(request),
        )
        return Response(out.transfer_answer(transaction), status=201)
