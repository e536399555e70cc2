"""``Verdict``: what the guard will do with one call — the single answer ``plan`` reports and ``run`` obeys.

It lives next to ``specs.py`` (and depends only on it) so that ``plan.py`` can name the guard's vocabulary
without importing the execution package, and so the guard, the router and the integrations all read the
same value. Only the guard (``gorilla_router.execution.guard.Guard``) produces verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gorilla_router.specs import ApiCall, CallReason

__all__ = ["GuardAction", "Verdict"]

GuardAction = Literal["execute", "ask", "deny", "dry_run", "invalid"]
"""``execute`` sends the call; ``ask`` needs a person's yes first (without a confirm callback: denied);
``deny`` refuses it; ``dry_run`` previews what would be sent; ``invalid`` means the arguments do not fit."""


@dataclass(frozen=True)
class Verdict:
    """The guard's decision for one call, with a machine-readable ``code`` and a ``message`` for people.

    ``call`` is the call as it would be dispatched (validated: defaults applied, coercions done) — or the
    call as written when ``action`` is ``invalid``, with one entry in ``errors`` per argument problem.
    ``confirm_with`` is true when an ``ask`` verdict will be put to a confirm callback; false means nobody
    can say yes, so running it returns ``denied`` with ``needs_confirmation``.
    """

    action: GuardAction
    code: CallReason
    message: str
    call: ApiCall
    errors: tuple[str, ...] = field(default=())
    confirm_with: bool = False
