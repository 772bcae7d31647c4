from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = "Wallet"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from wallet.models import FeeRule
        from wallet.schedules import ensure_schedules
        from wallet.services.ledger.fees import forget_cached_rules
        from wallet.views.devices import on_sign_in

        post_migrate.connect(ensure_schedules, sender=self)
        # Cache invalidation only (never money): a staff edit of a fee rule applies at once.
        post_save.connect(forget_cached_rules, sender=FeeRule)
        post_delete.connect(forget_cached_rules, sender=FeeRule)
        # Connects the sign-in of accounts/allauth to safety mode (no money moves here).
        user_logged_in.connect(on_sign_in, dispatch_uid="wallet-safety-mode")


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our own site (dashboard home, MFA gate, no bulk delete)."""

    default = False
    default_site = "wallet.admin.site.back_office_site"
