"""What every v1 view shares: the caller's own wallet, input checking, money throttles."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.views import APIView

from wallet.api.v1.throttling import MONEY_THROTTLES, check_money_throttles
from wallet.services.outflows.guard import confirm_outflow
from wallet.services.wallet_service import WalletService


class WalletView(APIView):
    """A view on the caller's own wallet (`me`)."""

    def wallet(self):
        if not hasattr(self, "_wallet"):
            self._wallet = WalletService().get_wallet(self.request.user)
        return self._wallet


class MoneyView(WalletView):
    """A view whose writes move money or reach Paystack: throttled per user, token and IP.
    Its reads are throttled too only when they reach Paystack or probe for people."""

    throttle_classes = MONEY_THROTTLES
    throttle_reads = False

    def get_throttles(self):
        if self.request.method in SAFE_METHODS and not self.throttle_reads:
            return []
        return super().get_throttles()

    def check_throttles(self, request):
        # DRF asks each throttle in turn (two cache round trips each); these count together.
        waits = check_money_throttles(self.get_throttles(), request, self)
        if waits:
            self.throttled(request, max(waits))


def confirm_pin(request, data: dict) -> None:
    """The caller's transaction PIN on an outflow (WALLET_PIN_REQUIRED), a money-scope token
    included: 403 pin_required / pin_invalid. Checked once the body is valid, so that a
    malformed request costs no try."""
    confirm_outflow(request.user, data.get("pin"))


def valid(serializer_class, data) -> dict:
    """The validated data, or the serializer's ValidationError (400, 422 for amounts)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
