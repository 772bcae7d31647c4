from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = "Wallet"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wallet.models import FeeRule
        from wallet.schedules import ensure_schedules
        from wallet.services.ledger.fees import forget_cached_rules

        post_migrate.connect(ensure_schedules, sender=self)
        # Cache invalidation only (never money): a staff edit of a fee rule applies at once.
        post_save.connect(forget_cached_rules, sender=FeeRule)
        post_delete.connect(forget_cached_rules, sender=FeeRule)


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our own site (dashboard home, MFA gate, no bulk delete)."""

    default = False
    default_site = "wallet.admin.site.back_office_site"
