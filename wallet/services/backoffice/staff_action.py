"""What a staff action is: who may take it, which rows it applies to, the amount it moves,
whether it needs a second person, and the service call that does it (the catalogue lists
them all; `actions.perform` runs one)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

NEVER, ABOVE_THRESHOLD, ALWAYS = "never", "above_threshold", "always"


@dataclass(frozen=True)
class StaffAction:
    name: str
    label: str
    permission: str  # a codename in the wallet app, checked as "wallet.<permission>"
    model: type | None
    run: Callable  # (target, params, reason) -> message
    applies: Callable = lambda target: True
    amount: Callable = lambda target, params: None
    clean: Callable = lambda target, raw: {}
    describe: str = ""
    approval: str = NEVER
    inputs: tuple = field(default_factory=tuple)  # extra fields of the confirmation form
    initial: Callable = lambda target: {}  # what those fields show before the first POST
    # A configuration edit's fields: (target) -> [(name, label, value now), ...]
    fields: Callable | None = None
    moves_money: bool = False
    wants_actor: bool = False  # `run` also takes the staff user (who resolved, who started)
    approver: str = "approve_request"  # the codename a checker of its requests holds
    changes_access: bool = False  # roles, permissions, staff/superuser/active flags

    def needs_approval(self, amount: Decimal | None) -> bool:
        if self.approval == ALWAYS:
            return True
        threshold = settings.BACKOFFICE_APPROVAL_THRESHOLD
        return self.approval == ABOVE_THRESHOLD and amount is not None and amount > threshold
