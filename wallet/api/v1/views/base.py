"""What every v1 view shares: the caller's own wallet, input checking, money throttles."""

from rest_framework.views import APIView

from wallet.api.v1.throttling import MONEY_THROTTLES
from wallet.services.wallet_service import WalletService


class WalletView(APIView):
    """A view on the caller's own wallet (`me`)."""

    def wallet(self):
        if not hasattr(self, "_wallet"):
            self._wallet = WalletService().get_wallet(self.request.user)
        return self._wallet


class MoneyView(WalletView):
    """A view whose POST moves money or reaches Paystack: throttled per user, token and IP."""

    throttle_classes = MONEY_THROTTLES


def valid(serializer_class, data) -> dict:
    """The validated data, or the serializer's ValidationError (400, 422 for amounts)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
