from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WalletConfig(AppConfig):
    name = "wallet"
    verbose_name = "Wallet"

    def ready(self):
        from wallet.schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)
