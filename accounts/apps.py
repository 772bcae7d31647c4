from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from walletsite import cache_tables  # noqa: F401  (registers the deploy check)

        from . import signals  # noqa: F401  (connects allauth's sign-up signal)
