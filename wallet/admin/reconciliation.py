"""Back office for the reconciliation with Paystack's own lists (wallet/services/reconciliation/):
the runs, and the mismatches staff resolve with a note (an audited action)."""

from django.contrib import admin

from wallet.admin.base import ReadOnlyAdmin, confirm
from wallet.models import ReconciliationMismatch, ReconciliationRun


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "period_start",
        "period_end",
        "status",
        "charges_compared",
        "transfers_compared",
        "refunds_compared",
        "mismatches_found",
        "started_by",
    ]
    list_filter = ["status"]
    search_fields = ["error", "started_by__email"]
    list_select_related = ["started_by"]
    readonly_fields = [f.name for f in ReconciliationRun._meta.fields]
    ordering = ["-created_at"]


@admin.register(ReconciliationMismatch)
class ReconciliationMismatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "record", "kind", "reference", "ours", "theirs", "status"]
    list_filter = ["status", "record", "kind"]
    search_fields = ["=reference", "resolution_note"]
    list_select_related = ["found_by_run", "resolved_by"]
    readonly_fields = [f.name for f in ReconciliationMismatch._meta.fields]
    ordering = ["-created_at"]
    actions = [confirm("resolve_mismatch")]
