"""The transaction PIN over the API: whether one is set, choose the first, change it. It is
never returned. Choosing or changing it needs a session that re-authenticated recently (403
reauthentication_required otherwise); a token alone never can, so for token callers these
are web-only. A reset needs the e-mailed link and the password (the web page)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.reauthentication import require_reauthentication_for_api
from wallet.api.v1.throttling import MONEY_THROTTLES
from wallet.api.v1.views.base import WalletView, valid
from wallet.services.outflows.pin import change_pin, has_pin, set_first_pin

FOUR_DIGITS = r"^[0-9]{4}$"


class PinStatusSerializer(serializers.Serializer):
    pin_set = serializers.BooleanField()


class NewPinInput(serializers.Serializer):
    pin = serializers.RegexField(FOUR_DIGITS, write_only=True, help_text="4 digits.")


class ChangePinInput(serializers.Serializer):
    old_pin = serializers.CharField(max_length=12, write_only=True)
    new_pin = serializers.RegexField(FOUR_DIGITS, write_only=True, help_text="4 digits.")


class PinView(WalletView):
    # Wrong old PINs are counted and lock the PIN; the throttles bound the tries per minute too.
    throttle_classes = MONEY_THROTTLES

    @extend_schema(operation_id="me_pin", responses=PinStatusSerializer)
    def get(self, request):
        return Response({"pin_set": has_pin(request.user)})

    @extend_schema(
        operation_id="me_pin_set", request=NewPinInput, responses={201: PinStatusSerializer}
    )
    def post(self, request):
        """Choose the first PIN (422 when one is set already, or it is too easy to guess)."""
        require_reauthentication_for_api(request)
        set_first_pin(request.user, valid(NewPinInput, request.data)["pin"])
        return Response({"pin_set": True}, status=201)


class PinChangeView(WalletView):
    throttle_classes = MONEY_THROTTLES

    @extend_schema(
        operation_id="me_pin_change", request=ChangePinInput, responses=PinStatusSerializer
    )
    def post(self, request):
        """Replace the PIN; a wrong old PIN is 403 pin_invalid and counts as a wrong try."""
        require_reauthentication_for_api(request)
        data = valid(ChangePinInput, request.data)
        change_pin(request.user, old_pin=data["old_pin"], new_pin=data["new_pin"])
        return Response({"pin_set": True})
