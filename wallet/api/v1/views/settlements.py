"""Settlements (list, create) and settlement schedules (create, list, update, pause,
resume): standing instructions to pay the wallet out to one of its bank accounts."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from wallet.api.decorators import reference_for_key
from wallet.api.v1 import serializers as out
from wallet.api.v1.idempotency import idempotent
from wallet.api.v1.inputs import PayoutInput, ScheduleInput
from wallet.api.v1.views.base import MoneyView, WalletView, confirm_pin, valid
from wallet.api.v1.views.payouts import my_bank_account
from wallet.services.settlement_service import SettlementService

SETTLEMENT_LIST_SIZE = 100


class SettlementListView(MoneyView):
    @extend_schema(operation_id="me_settlements", responses=out.SettlementSerializer(many=True))
    def get(self, request):
        settlements = self.wallet().settlements.select_related("transaction")
        latest = settlements.order_by("-created_at", "-id")[:SETTLEMENT_LIST_SIZE]
        return Response(out.SettlementSerializer(latest, many=True).data)

    @extend_schema(
        operation_id="me_settlement_create",
        request=PayoutInput,
        responses={201: out.SettlementSerializer},
    )
    @idempotent
    def post(self, request):
        """Settle now: debit amount + fee and send it to one of the wallet's bank accounts."""
        data = valid(PayoutInput, request.data)
        confirm_pin(request, data)
        settlement = SettlementService().create_settlement(
            wallet=self.wallet(),
            bank_account=my_bank_account(self, data["bank_account_id"]),
            amount=data["amount"],
            reason=data.get("reason") or "Manual settlement",
            reference=reference_for_key(request),
        )
        return Response(out.SettlementSerializer(settlement).data, status=201)


def _schedule_options(data: dict) -> dict:
    """The schedule service's keyword options from a validated body."""
    return {
        k: v for k, v in data.items() if k not in ("bank_account_id", "schedule_type", "pin")
    }


def _my_schedule(view, pk):
    return get_object_or_404(view.wallet().settlement_schedules, pk=pk)


class ScheduleListView(WalletView):
    @extend_schema(operation_id="me_schedules", responses=out.ScheduleSerializer(many=True))
    def get(self, request):
        schedules = self.wallet().settlement_schedules.order_by("-created_at", "-id")
        return Response(out.ScheduleSerializer(schedules, many=True).data)

    @extend_schema(
        operation_id="me_schedule_create",
        request=ScheduleInput,
        responses={201: out.ScheduleSerializer},
    )
    def post(self, request):
        data = valid(ScheduleInput, request.data)
        confirm_pin(request, data)
        schedule = SettlementService().create_settlement_schedule(
            wallet=self.wallet(),
            bank_account=my_bank_account(self, data["bank_account_id"]),
            schedule_type=data["schedule_type"],
            **_schedule_options(data),
        )
        return Response(out.ScheduleSerializer(schedule).data, status=201)


class ScheduleView(WalletView):
    @extend_schema(operation_id="me_schedule", responses=out.ScheduleSerializer)
    def get(self, request, pk):
        return Response(out.ScheduleSerializer(_my_schedule(self, pk)).data)

    @extend_schema(
        operation_id="me_schedule_update",
        request=ScheduleInput(partial=True),
        responses=out.ScheduleSerializer,
    )
    def patch(self, request, pk):
        schedule = _my_schedule(self, pk)
        serializer = ScheduleInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        confirm_pin(request, data)
        account = None
        if "bank_account_id" in data:
            account = my_bank_account(self, data["bank_account_id"])
        schedule = SettlementService().update_settlement_schedule(
            schedule,
            bank_account=account,
            schedule_type=data.get("schedule_type"),
            **_schedule_options(data),
        )
        return Response(out.ScheduleSerializer(schedule).data)


class SchedulePauseView(WalletView):
    @extend_schema(operation_id="me_schedule_pause", request=None, responses=out.ScheduleSerializer)
    def post(self, request, pk):
        schedule = SettlementService().pause_settlement_schedule(_my_schedule(self, pk))
        return Response(out.ScheduleSerializer(schedule).data)


class ScheduleResumeView(WalletView):
    @extend_schema(
        operation_id="me_schedule_resume", request=None, responses=out.ScheduleSerializer
    )
    def post(self, request, pk):
        schedule = SettlementService().resume_settlement_schedule(_my_schedule(self, pk))
        return Response(out.ScheduleSerializer(schedule).data)
