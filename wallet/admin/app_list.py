"""The site's app list (every model a user may see, for the sidebar and the dashboard), built
once per set of permissions instead of on every page.

Django builds it on every admin page: for each of the back office's forty-odd models, the
user's permissions and two `reverse()` calls; a twentieth of a list page's CPU. What it holds
follows only from the registered ModelAdmins, the user's permissions (every ModelAdmin here
decides visibility by them: read-only, door.py), the language and the URL prefix, so that is
the key: a role given or taken away changes the permissions, and so the key, at once.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

KEEP = 64  # distinct keys kept (roles × languages × app pages); past it, start again


class AppList(list):
    """A memoised app list; `key` names what it was built for (the sidebar keys on it too)."""

    key: tuple = ()


class MemoisedAppList:
    """Mixed into the AdminSite. Treat what get_app_list returns as read-only: it is shared."""

    _app_list_version = 0

    def register(self, *args, **kwargs):
        self._app_list_version += 1
        return super().register(*args, **kwargs)

    def unregister(self, *args, **kwargs):
        self._app_list_version += 1
        return super().unregister(*args, **kwargs)

    def get_app_list(self, request, app_label=None):
        key = self._app_list_key(request, app_label)
        memo = self.__dict__.setdefault("_app_lists", {})
        found = memo.get(key)
        if found is None:
            found = AppList(super().get_app_list(request, app_label))
            found.key = key
            if len(memo) >= KEEP:
                memo.clear()
            memo[key] = found
        return found

    def _app_list_key(self, request, app_label) -> tuple:
        user = request.user
        if user.is_active and user.is_superuser:
            permissions = "all"
        elif user.is_active:
            permissions = frozenset(user.get_all_permissions())
        else:
            permissions = "none"
        where = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, get_language())
        return (self._app_list_version, len(self._registry), app_label, permissions, *where)
