"""Access changes, by two people: a staff user's roles and flags (staff, superuser, active) and
a role's permissions. Each is a request (approval ALWAYS) that someone else holding
`wallet.approve_access_change` approves; nobody approves a change to their own access (as the
user changed, or as a member of the role changed). Approval grants exactly what was asked: the
request's parameters are the whole new state (roles and flags) or the exact permissions to
grant and revoke, nothing else. Both steps are audited with the values before and after."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction as db

from wallet.exceptions import WalletError
from wallet.services.backoffice.staff_action import ALWAYS, StaffAction

REQUEST, APPROVE = "request_access_change", "approve_access_change"
YES, NO = {"yes", "on", "true", "1"}, {"no", "off", "false", "0"}
FLAGS = ("is_staff", "is_superuser", "is_active")
USER_FIELDS = {
    "roles": "Roles (names, comma-separated; empty: none)",
    "is_staff": "Staff (may open the back office): yes or no",
    "is_superuser": "Superuser (every permission): yes or no",
    "is_active": "Active (may sign in): yes or no",
}
ROLE_FIELDS = {
    "grant": "Permissions to grant (app.codename, comma-separated)",
    "revoke": "Permissions to remove (app.codename, comma-separated)",
}


def _names(text) -> list[str]:
    return sorted({part.strip() for part in str(text or "").split(",") if part.strip()})


def access_of(user) -> dict:
    """A user's access as the confirmation page and the audit log show it."""
    roles = sorted(user.groups.values_list("name", flat=True))
    return {"roles": ", ".join(roles), **{flag: getattr(user, flag) for flag in FLAGS}}


def _flag(raw, name) -> bool:
    text = str(raw.get(name) or "").strip().lower()
    if text not in YES | NO:
        raise WalletError(f"{USER_FIELDS[name].split(' (')[0]}: answer yes or no.")
    return text in YES


def _clean_user_access(user, raw) -> dict:
    roles = _names(raw.get("roles"))
    known = set(Group.objects.filter(name__in=roles).values_list("name", flat=True))
    if unknown := sorted(set(roles) - known):
        raise WalletError(f"There is no role named {', '.join(unknown)}.")
    params = {"roles": roles, **{flag: _flag(raw, flag) for flag in FLAGS}}
    now = access_of(user)
    if params == {**now, "roles": _names(now["roles"])}:
        raise WalletError("Nothing changed: this is the user's access already.")
    return params


def _set_user_access(user, params, reason, actor):
    """Exactly the roles and flags of the request, nothing more."""
    with db.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        for flag in FLAGS:
            setattr(locked, flag, bool(params[flag]))
        locked.save(update_fields=list(FLAGS))
        locked.groups.set(Group.objects.filter(name__in=params["roles"]))
    return f"{locked.email} now has: {_described(access_of(locked))}."


def _described(access: dict) -> str:
    flags = ", ".join(f"{flag.removeprefix('is_')} {_text(access[flag])}" for flag in FLAGS)
    return f"roles {access['roles'] or 'none'}; {flags}"


def permission_names(group) -> list[str]:
    return sorted(
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    )


def _permissions(names) -> list:
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[n.partition(".")[2] for n in names]
        )
    }
    if unknown := [n for n in names if n not in found]:
        raise WalletError(f"No such permission: {', '.join(unknown)}.")
    return [found[n] for n in names]


def _clean_role(group, raw) -> dict:
    grant, revoke = _names(raw.get("grant")), _names(raw.get("revoke"))
    if not grant and not revoke:
        raise WalletError("Name at least one permission to grant or to remove.")
    if both := sorted(set(grant) & set(revoke)):
        raise WalletError(f"Granted and removed at once: {', '.join(both)}.")
    _permissions(grant + revoke)
    return {"grant": grant, "revoke": revoke}


def _change_role(group, params, reason, actor):
    """Grant and remove exactly the permissions named in the request."""
    with db.atomic():
        Group.objects.select_for_update().get(pk=group.pk)
        group._history_user = actor
        group.permissions.add(*_permissions(params["grant"]))
        group.permissions.remove(*_permissions(params["revoke"]))
    return f"The role {group.name} now has {len(permission_names(group))} permissions."


def _role_now(group) -> list:
    shown = ", ".join(permission_names(group)) or "none"
    return [("grant", ROLE_FIELDS["grant"], f"now: {shown}"), ("revoke", ROLE_FIELDS["revoke"], "")]


def _user_now(user) -> list:
    now = access_of(user)
    return [(name, label, _text(now[name])) for name, label in USER_FIELDS.items()]


def _text(value) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def whose_access(action, target) -> set:
    """The users whose access the action changes (none of them may approve it)."""
    if target is None:
        return set()
    if isinstance(target, Group):
        return set(target.user_set.values_list("pk", flat=True))
    return {target.pk}


ACCESS_ACTIONS = [
    StaffAction(
        "change_staff_access", "Change staff access", REQUEST, get_user_model(),
        _set_user_access, clean=_clean_user_access, wants_actor=True, approval=ALWAYS,
        approver=APPROVE, changes_access=True, inputs=("config",),
        initial=lambda user: {k: _text(v) for k, v in access_of(user).items()},
        fields=_user_now,
        describe="Set this person's roles and their staff, superuser and active flags. A "
        "second person who may approve access changes must approve it; nobody approves a "
        "change to their own access.",
    ),
    StaffAction(
        "change_role_permissions", "Change role permissions", REQUEST, Group, _change_role,
        clean=_clean_role, wants_actor=True, approval=ALWAYS, approver=APPROVE,
        changes_access=True, inputs=("config",), fields=_role_now,
        describe="Grant or remove permissions of this role, for everyone in it. A second "
        "person who may approve access changes must approve it; no member of the role may.",
    ),
]  # fmt: skip
