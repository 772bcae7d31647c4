"""`{% sidebar_app_list available_apps %}`: the admin's navigation sidebar (every model the
user may see, the current one marked), built in Python.

Django's `admin/app_list.html` renders some fifteen template nodes for each of the back
office's forty-odd models on every page: a fifth of a list page's CPU. This builds the same
HTML as that template with `show_changelinks=False`, as `admin/nav_sidebar.html` includes it
(tests/backoffice/test_list_speed.py compares the two); the app list itself, and so what each
role sees, is still the site's `get_app_list`. The HTML is kept for each app list the site
memoised (admin/app_list.py: one per set of permissions) and each page path.
"""

from django import template
from django.template.defaultfilters import urlencode
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()
KEEP = 512  # (app list, path) pairs kept; past it, start again
_html: dict[tuple, str] = {}


def _current(url, path: str) -> bool:
    """The template's `{% if url in request.path|urlencode %}` (a missing url reads as "")."""
    try:
        return url in path
    except TypeError:
        return False


def _model_row(app_label: str, model: dict, path: str):
    name = str(model.get("object_name", "")).lower()
    row_id = f"{app_label}-{name}"
    admin_url = model.get("admin_url", "")
    current = _current(admin_url, path)
    if admin_url:
        aria = mark_safe(' aria-current="page"') if current else ""
        title = format_html('<a href="{}"{}>{}</a>', admin_url, aria, model.get("name", ""))
    else:
        title = conditional_escape(model.get("name", ""))
    if model.get("add_url"):
        add = format_html(
            '<td><a href="{}" class="addlink" aria-describedby="{}">{}</a></td>',
            model["add_url"],
            row_id,
            _("Add"),
        )
    else:
        add = mark_safe("<td></td>")
    return format_html(
        '<tr class="model-{}{}"><th scope="row" id="{}">{}</th>{}</tr>',
        name,
        " current-model" if current else "",
        row_id,
        title,
        add,
    )


def _app(app: dict, path: str):
    label = app.get("app_label", "")
    # As {% blocktranslate %} does: the translation is ours, the name escaped into it.
    title = _("Models in the %(name)s application") % {"name": conditional_escape(app["name"])}
    title = mark_safe(title)  # noqa: S308
    return format_html(
        '<div class="app-{} module{}"><table><caption><a href="{}" class="section" title="{}">'
        '{}</a></caption><thead class="visually-hidden"><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead>{}</table></div>',
        label,
        " current-app" if _current(app.get("app_url", ""), path) else "",
        app.get("app_url", ""),
        title,
        app["name"],
        _("Model name"),
        _("Add link"),
        _("Change or view list link"),
        format_html_join("", "{}", ((_model_row(label, m, path),) for m in app["models"])),
    )


@register.simple_tag(takes_context=True)
def sidebar_app_list(context, app_list):
    if not app_list:
        return format_html("<p>{}</p>", _("You don’t have permission to view or edit anything."))
    path = urlencode(context["request"].path)
    key = (getattr(app_list, "key", None), path)
    if key[0] is None:  # not the site's memoised list: nothing to key the HTML on
        return _app_list(app_list, path)
    html = _html.get(key)
    if html is None:
        if len(_html) >= KEEP:
            _html.clear()
        html = _html[key] = _app_list(app_list, path)
    return html


def _app_list(app_list, path):
    return format_html_join("", "{}", ((_app(app, path),) for app in app_list))
