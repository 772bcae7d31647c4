"""The back office. Every module in this package registers its own ModelAdmins.

`site` is imported first: the admin resolves `admin.site` to its BackOfficeSite
(wallet.apps.BackOfficeAdminConfig) while the other modules register.
"""

import importlib
import pkgutil

from wallet.admin import site  # noqa: F401

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
