"""``plan`` and ``run`` agree for every setting that can make a call go out — from a config, a ``policy=``,
or both — and the outcome is the one the settings ask for (not merely the same wrong answer twice).

Each row names the settings and the reason code a run returns for a read-only call (``math.sqrt``), a
``write`` call (``uber.eat.order``) and a ``destructive`` one (``uber.eat.cancel_order``). For every row and
API: ``plan`` reports the verdict, ``run`` and ``execute`` (a hand-written call) obey it, and a request is
recorded by the transports exactly when the reason is ``executed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from gorilla_router import CallReason, GorillaRouter, Policy
from gorilla_router.generation.testing import TestModel
from gorilla_router.specs import ApiCall, ApiSpec

E = CallReason.EXECUTED
D = CallReason.DRY_RUN
P = CallReason.DENIED_BY_POLICY
C = CallReason.NEEDS_CONFIRMATION

QUERIES = {
    "read": "what is the square root of 16",
    "write": "order two burgers from McDonald's",
    "destructive": "cancel food order 7f3c",
}
API_IDS = {"read": "math.sqrt", "write": "uber.eat.order", "destructive": "uber.eat.cancel_order"}


@dataclass(frozen=True)
class Row:
    name: str
    expected: tuple[CallReason, CallReason, CallReason]  # read, write, destructive
    config: dict[str, Any] = field(default_factory=dict)
    policy: Policy | None = None
    confirm: bool | None = None  # None: no callback; True/False: a callback answering that


ROWS = [
    Row("defaults", (E, C, P)),
    Row("defaults, policy=Policy()", (E, C, P), policy=Policy()),
    # dry-run
    Row("dry_run in the config", (D, D, P), config={"dry_run": True}),
    Row("dry_run in the policy", (D, D, P), policy=Policy(dry_run=True)),
    Row("dry_run in the config, policy=Policy()", (D, D, P), config={"dry_run": True}, policy=Policy()),
    Row("dry_run in both", (D, D, P), config={"dry_run": True}, policy=Policy(dry_run=True)),
    # allow
    Row("allow in the config", (E, E, E), config={"allow": ["uber.eat.*"]}),
    Row("allow in the policy", (E, E, E), policy=Policy(allow=("uber.eat.*",))),
    Row("allow in the config is replaced by policy=", (E, C, P), config={"allow": ["uber.eat.*"]},
        policy=Policy()),
    Row("allow in both", (E, E, E), config={"allow": ["uber.eat.*"]},
        policy=Policy(allow=("uber.eat.*",))),
    Row("allow with dry_run", (D, D, D), config={"allow": ["uber.eat.*"], "dry_run": True}),
    # deny
    Row("deny in the config", (P, C, P), config={"deny": ["math.*"]}),
    Row("deny in the policy", (P, C, P), policy=Policy(deny=("math.*",))),
    Row("deny in the config, policy=Policy()", (P, C, P), config={"deny": ["math.*"]}, policy=Policy()),
    Row("deny in the config beats allow in the policy", (P, C, P), config={"deny": ["math.*"]},
        policy=Policy(allow=("math.*",))),
    Row("deny in the policy beats allow in the config", (E, P, P), config={"allow": ["uber.eat.*"]},
        policy=Policy(deny=("uber.eat.*",))),
    # only
    Row("only in the config", (E, P, P), config={"only": ["math.*"]}),
    Row("only in the policy", (E, P, P), policy=Policy(only=("math.*",))),
    Row("only in the config, policy=Policy()", (E, P, P), config={"only": ["math.*"]}, policy=Policy()),
    Row("only in the config, allow in the policy", (E, P, P), config={"only": ["math.*"]},
        policy=Policy(allow=("uber.eat.*",))),
    # assume_yes
    Row("assume_yes in the config", (E, E, P), config={"assume_yes": True}),
    Row("assume_yes, policy=Policy()", (E, E, P), config={"assume_yes": True}, policy=Policy()),
    Row("assume_yes with dry_run in the policy", (D, D, P), config={"assume_yes": True},
        policy=Policy(dry_run=True)),
    # confirm
    Row("confirm says yes", (E, E, P), confirm=True),
    Row("confirm says no", (E, C, P), confirm=False),
    Row("confirm says yes, policy=Policy()", (E, E, P), policy=Policy(), confirm=True),
    Row("confirm says no, policy=Policy()", (E, C, P), policy=Policy(), confirm=False),
    Row("confirm says no beats assume_yes", (E, C, P), config={"assume_yes": True}, confirm=False),
    Row("confirm is not asked in a dry run", (D, D, P), config={"dry_run": True}, policy=Policy(),
        confirm=True),
]  # fmt: skip


class _Confirm:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, call: ApiCall, spec: ApiSpec, reason: str) -> bool:
        self.asked.append(call.api_id)
        return self.answer


@pytest.mark.parametrize("kind", ["read", "write", "destructive"])
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_plan_and_run_agree_and_obey_the_settings(row: Row, kind: str, zoo, retriever, config) -> None:
    from gorilla_router.execution import RecordingExecutor

    confirm = _Confirm(row.confirm) if row.confirm is not None else None
    transports = {"rest": RecordingExecutor(), "python": RecordingExecutor()}
    router = GorillaRouter(
        zoo=zoo,
        retriever=retriever,
        backend=TestModel(),
        config=config.model_copy(update=row.config),
        policy=row.policy,
        confirm=confirm,
        transports=transports,
    )
    expected = row.expected[["read", "write", "destructive"].index(kind)]

    plan = router.plan(QUERIES[kind])
    assert [p.call.api_id for p in plan.calls] == [API_IDS[kind]]
    planned = plan.calls[0]
    assert confirm is None or confirm.asked == [], "plan must never ask for a confirmation"
    assert not transports["rest"].calls, "plan sent something"
    assert not transports["python"].calls, "plan ran something"

    run = router.run(QUERIES[kind])
    executed = router.execute(planned.call)  # the shape: a hand-written call, same guard
    for result in (run, executed):
        assert result.reason is expected, f"{row.name}/{kind}: {result.status} {result.error}"
    sent = len(transports["rest"].calls) + len(transports["python"].calls)
    assert sent == (2 if expected is E else 0)

    if planned.decision == "ask" and confirm is not None:  # the person decides; the plan says who is asked
        assert planned.code is C
        assert confirm.asked == [API_IDS[kind]] * 2
        assert expected is (E if confirm.answer else C)
    else:
        assert planned.code is expected
        assert confirm is None or confirm.asked == []
    assert plan.executable == (planned.decision in ("execute", "dry_run"))


def test_the_reported_bug_a_config_dry_run_survives_an_explicit_policy(zoo, retriever, config) -> None:
    """``GorillaRouter(config=…dry_run…, policy=Policy()).execute("math.sqrt(x=4)")`` used to run."""
    from gorilla_router.execution import RecordingExecutor

    python = RecordingExecutor()
    router = GorillaRouter(
        zoo=zoo,
        retriever=retriever,
        backend="test",
        config=config.model_copy(update={"dry_run": True}),
        policy=Policy(),
        transports={"rest": RecordingExecutor(), "python": python},
    )
    result = router.execute("math.sqrt(x=4)")
    assert result.reason is D
    assert result.request is not None
    assert python.calls == []
