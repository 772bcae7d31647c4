"""Back office for card-payment disputes and customers' problem reports: read-only queues and
pages; every change is a StaffAction (upload the file, send evidence, accept, decline; answer
or close a case), confirmed with a reason and audited."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from wallet.admin.base import ReadOnlyAdmin, confirm, naira
from wallet.models import Dispute, SupportCase
from wallet.services.disputes.evidence import prefilled_evidence, spent_on, timeline


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    """The dispute queue: open disputes first, the nearest due date first."""

    list_display = [
        "paystack_id", "customer", "amount_naira", "held_naira", "not_covered_naira", "status",
        "due_at", "age", "time_left",
    ]  # fmt: skip
    list_filter = ["status", "resolution"]
    search_fields = ["=paystack_id", "deposit__reference", "wallet__user__email"]
    list_select_related = ["wallet__user", "deposit"]
    readonly_fields = [f.name for f in Dispute._meta.fields]
    change_form_template = "backoffice/dispute_form.html"
    actions = [confirm("upload_dispute_file"), confirm("accept_dispute")]
    amount_naira = staticmethod(naira("amount", "Disputed"))
    held_naira = staticmethod(naira("held", "Held in the wallet"))
    not_covered_naira = staticmethod(naira("not_covered", "Exposure"))

    def get_queryset(self, request):
        open_first = Case(
            When(status=Dispute.Status.OPEN, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        )  # fmt: skip
        return super().get_queryset(request).order_by(open_first, "due_at", "id")

    @admin.display(description="Customer")
    def customer(self, obj):
        return obj.wallet.user.email

    @admin.display(description="Age")
    def age(self, obj):
        return timesince(obj.opened_at)

    @admin.display(description="Time left")
    def time_left(self, obj):
        if not obj.is_open or obj.due_at is None:
            return "—"
        if obj.due_at <= timezone.now():
            return "Overdue"
        return timeuntil(obj.due_at)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dispute = self.get_object(request, object_id)
        if dispute is not None:
            extra_context = {
                **(extra_context or {}),
                "timeline": timeline(dispute),
                "evidence": prefilled_evidence(dispute),
                "spent_on": spent_on(dispute),
            }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SupportCase)
class SupportCaseAdmin(ReadOnlyAdmin):
    """Customers' "Report a problem": open cases first, oldest first."""

    list_display = ["pk", "status", "created_at", "user", "transaction"]
    list_filter = ["status"]
    search_fields = ["user__email", "transaction__reference"]
    list_select_related = ["user", "transaction"]
    readonly_fields = [f.name for f in SupportCase._meta.fields]
    change_form_template = "backoffice/support_case_form.html"
    actions = [confirm("answer_support_case")]

    def get_queryset(self, request):
        open_first = Case(
            When(status=SupportCase.Status.OPEN, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        )  # fmt: skip
        return super().get_queryset(request).order_by(open_first, "created_at", "id")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None:
            extra_context = {
                **(extra_context or {}),
                "case_messages": case.messages.select_related("author"),
            }
        return super().change_view(request, object_id, form_url, extra_context)
