"""Back office for itself: the audit log (read-only, CSV), approval requests, staff roles."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from wallet.admin.base import BackOfficeAdmin, ReadOnlyAdmin, naira
from wallet.models import ApprovalRequest, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at", "actor", "action", "outcome", "target_repr", "customer",
        naira("amount"), "reason", "ip_address", "approval",
    ]  # fmt: skip
    list_filter = ["outcome", "action", "target_type"]
    search_fields = ["=target_id", "target_repr", "reason", "actor__email", "customer__email"]
    list_select_related = ["actor", "customer", "approval"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    change_list_template = "backoffice/audit_change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra = {"can_export": request.user.has_perm("wallet.export_audit")}
        return super().changelist_view(request, {**extra, **(extra_context or {})})


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "id", "created_at", "action", "target_repr", naira("amount"), "maker", "status",
        "checker", "expires_at", "decide",
    ]  # fmt: skip
    list_filter = ["status", "action"]
    search_fields = ["=id", "target_repr", "maker__email", "reason"]
    list_select_related = ["maker", "checker"]
    readonly_fields = [f.name for f in ApprovalRequest._meta.fields]

    @admin.display(description="Decide")
    def decide(self, request_row):
        if request_row.status != "pending":
            return "—"
        url = reverse("admin:decide", args=[request_row.pk])
        return format_html('<a href="{}">Approve or reject…</a>', url)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(SimpleHistoryAdmin, GroupAdmin, BackOfficeAdmin):
    """Staff roles; every change to a role's permissions is versioned."""

    list_display = ["name"]
    list_filter = ["permissions__content_type__app_label"]
    search_fields = ["name"]
