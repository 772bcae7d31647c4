"""Back office for the KYC tiers: each tier's limits (edited only through the audited "Edit
tier limits" action, every edit a new version) and the wallets' moves between tiers."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wallet.admin.base import ReadOnlyAdmin, confirm, naira
from wallet.models import CustomerIdentification, KycTier, KycTierVersion, TierChange


def limit(field: str, label: str):
    """A tier's limit in naira; an empty one is no limit at all."""
    return naira(field, label, none="No limit")


class KycTierVersionInline(admin.TabularInline):
    model = KycTierVersion
    fields = ["version", "limits", "changed_by", "reason", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(KycTier)
class KycTierAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = [
        "__str__", limit("daily_limit", "Daily limit"), limit("single_limit", "Single payment"),
        limit("balance_cap", "Balance cap"), "allows_transfer", "allows_withdrawal",
        "allows_settlement", "version", "updated_at",
    ]  # fmt: skip
    list_filter = ["allows_transfer", "allows_withdrawal", "allows_settlement"]
    search_fields = ["name"]
    fields = [
        "level", "name", "daily_limit_shown", "single_limit_shown", "balance_cap_shown",
        "allows_transfer", "allows_withdrawal", "allows_settlement", "version", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [KycTierVersionInline]
    actions = [confirm("change_tier_limits")]

    # Static: the admin calls a read-only field of its own with the row alone.
    daily_limit_shown = staticmethod(limit("daily_limit", "Daily limit"))
    single_limit_shown = staticmethod(limit("single_limit", "Single-payment limit"))
    balance_cap_shown = staticmethod(limit("balance_cap", "Balance cap"))


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "wallet", "from_level", "to_level", "source", "changed_by"]
    list_filter = ["source", "to_level"]
    search_fields = ["wallet__user__email", "reason"]
    list_select_related = ["wallet__user", "changed_by"]
    readonly_fields = [f.name for f in TierChange._meta.fields]
    ordering = ["-created_at"]


@admin.register(CustomerIdentification)
class CustomerIdentificationAdmin(ReadOnlyAdmin):
    """Customers' requests for a higher tier: Finance approves or refuses the NIN reviews."""

    list_display = [
        "created_at", "wallet", "kind", "target_level", "number_last4", "status", "decided_by",
    ]  # fmt: skip
    list_filter = ["status", "kind", "target_level"]
    search_fields = ["wallet__user__email", "number_last4"]
    list_select_related = ["wallet__user", "decided_by"]
    readonly_fields = [f.name for f in CustomerIdentification._meta.fields]
    ordering = ["-created_at"]
    actions = [confirm("approve_identification"), confirm("refuse_identification")]
