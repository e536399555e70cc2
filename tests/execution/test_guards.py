"""Policy decisions, the guard wrappers, dry runs and the audit log (with fast fakes of the dispatcher)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorilla_router.errors import UsageError
from gorilla_router.execution import (
    AuditLogExecutor,
    DryRunExecutor,
    GuardedExecutor,
    Policy,
    RecordingExecutor,
    ValidatingExecutor,
    build_executor,
)
from gorilla_router.execution.rest import RestExecutor
from gorilla_router.specs import ApiCall, ApiSpec, AuthSpec, CallResult, CallStatus

SECRET = "tok-9f8e7d6c5b4a"


def rest(
    api_id: str = "shop.order", side_effects: str = "read", method: str = "GET", **fields: Any
) -> ApiSpec:
    return ApiSpec(
        id=api_id,
        name=api_id,
        description="test",
        kind="rest",
        method=method,
        base_url="https://api.shop.example/v1",
        path="/orders/{order_id}",
        side_effects=side_effects,
        parameters={
            "type": "object",
            "properties": {"order_id": {"type": "string"}, "qty": {"type": "integer"}},
            "required": ["order_id"],
        },
        **fields,
    )


def call(spec: ApiSpec, **arguments: Any) -> ApiCall:
    return ApiCall(api_id=spec.id, arguments=arguments or {"order_id": "o-1"})


@pytest.mark.parametrize(
    ("side_effects", "action"),
    [("none", "execute"), ("read", "execute"), ("write", "ask"), ("destructive", "deny")],
)
def test_default_policy_by_side_effects(side_effects, action):
    spec = rest(side_effects=side_effects)
    decision = Policy().decide(call(spec), spec)
    assert decision.action == action
    assert side_effects in decision.reason


def test_patterns_and_method_rules():
    destructive = rest("shop.cancel", "destructive", "DELETE")
    assert Policy(allow=("shop.*",)).decide(call(destructive), destructive).action == "execute"
    assert (
        Policy(allow=("shop.*",), deny=("shop.cancel",)).decide(call(destructive), destructive).action
        == "deny"
    )
    assert Policy(only=("weather.*",)).decide(call(rest()), rest()).action == "deny"
    read_delete = rest("shop.forget", "read", "DELETE")
    decision = Policy(methods={"DELETE": "ask"}).decide(call(read_delete), read_delete)
    assert decision.action == "ask"
    assert "DELETE" in decision.reason
    assert (
        Policy(methods={"GET": "execute"})
        .decide(call(rest(side_effects="write")), rest(side_effects="write"))
        .action
        == "ask"
    )  # a method rule only ever makes things stricter


def test_policy_rejects_unknown_keys():
    with pytest.raises(ValueError, match="extra"):
        Policy.model_validate({"alow": ["x"]})


def test_ask_without_callback_is_denied_with_instructions():
    spec = rest(side_effects="write")
    inner = RecordingExecutor()
    result = GuardedExecutor(inner, Policy()).execute(call(spec), spec)
    assert result.status is CallStatus.DENIED
    assert "confirmation required" in result.error
    assert "Policy(allow=['shop.order'])" in result.error
    # CLI and MCP users configure instead of writing Python: the message names both ways too
    assert 'allow = ["shop.order"] in gorilla_router.toml' in result.error
    assert "GORILLA_ROUTER_ALLOW=shop.order" in result.error
    assert inner.calls == []


def test_destructive_denial_says_how_to_allow_but_a_deny_pattern_does_not():
    spec = rest("shop.cancel", "destructive", "DELETE")
    result = GuardedExecutor(RecordingExecutor(), Policy()).execute(call(spec), spec)
    assert result.status is CallStatus.DENIED
    assert 'allow = ["shop.cancel"] in gorilla_router.toml' in result.error
    assert "GORILLA_ROUTER_ALLOW=shop.cancel" in result.error
    pinned = Policy(deny=("shop.*",)).decide(call(spec), spec)
    assert pinned.action == "deny"
    assert "GORILLA_ROUTER_ALLOW" not in pinned.reason  # an allow pattern could not override a deny one


def test_confirm_callback_decides():
    spec = rest(side_effects="write")
    asked: list[str] = []
    inner = RecordingExecutor({"shop.order": {"id": "o-1"}})

    def yes(c: ApiCall, s: ApiSpec, reason: str) -> bool:
        asked.append(reason)
        return True

    assert GuardedExecutor(inner, confirm=yes).execute(call(spec), spec).output == {"id": "o-1"}
    assert "write" in asked[0]
    declined = GuardedExecutor(inner, confirm=lambda *_: False).execute(call(spec), spec)
    assert declined.status is CallStatus.DENIED
    assert "declined" in declined.error

    def broken(*_: Any) -> bool:
        raise RuntimeError("no tty")

    failed = GuardedExecutor(inner, confirm=broken).execute(call(spec), spec)
    assert failed.status is CallStatus.DENIED
    assert "no tty" in failed.error
    assert len(inner.calls) == 1


def test_destructive_is_denied_unless_allowed():
    spec = rest("shop.cancel", "destructive", "DELETE")
    inner = RecordingExecutor()
    assert GuardedExecutor(inner).execute(call(spec), spec).status is CallStatus.DENIED
    assert GuardedExecutor(inner, Policy(allow=("shop.cancel",))).execute(call(spec), spec).ok


def test_validating_executor_returns_invalid_and_passes_coerced_calls():
    spec = rest()
    inner = RecordingExecutor()
    bad = ValidatingExecutor(inner).execute(call(spec, qty="five"), spec)
    assert bad.status is CallStatus.INVALID
    assert "missing required parameter 'order_id'" in bad.error
    assert "parameter 'qty'" in bad.error
    good = ValidatingExecutor(inner).execute(call(spec, order_id="o-1", qty="5"), spec)
    assert good.ok
    assert inner.calls[-1][0].arguments == {"order_id": "o-1", "qty": 5}


def test_dry_run_shows_exactly_what_would_be_sent_with_secrets_masked():
    spec = rest(
        method="POST",
        side_effects="write",
        auth=AuthSpec(env="SHOP_TOKEN", prefix="Bearer "),
        headers={"X-Api-Key": "static-key-value"},
    )
    executor = build_executor(
        Policy(dry_run=True), rest=RestExecutor(environ={"SHOP_TOKEN": SECRET}), python=RecordingExecutor()
    )
    result = executor.execute(call(spec, order_id="a/../b", qty="2"), spec)
    assert result.status is CallStatus.DRY_RUN
    assert result.request == {
        "kind": "rest",
        "method": "POST",
        "url": "https://api.shop.example/v1/orders/a%2F..%2Fb",
        "headers": {
            "User-Agent": "gorilla-router/0.1",
            "Accept": "application/json, */*;q=0.5",
            "X-Api-Key": "***",
            "Authorization": "***",
            "Content-Type": "application/json",
        },
        "body": {"qty": 2},
    }
    assert SECRET not in json.dumps(result.model_dump(mode="json"))


def test_dry_run_of_python_call_names_callable_and_arguments(sqrt_spec):
    spec = sqrt_spec
    from gorilla_router.execution.python_exec import PythonExecutor

    with PythonExecutor() as python:
        result = build_executor(Policy(dry_run=True), python=python, rest=RecordingExecutor()).execute(
            ApiCall(api_id="math.sqrt", arguments={"x": "16"}), spec
        )
        assert not python.pool._idle  # nothing ran
    assert result.status is CallStatus.DRY_RUN
    assert result.request == {
        "kind": "python",
        "callable": "math:sqrt",
        "arguments": {"x": 16},
        "runs": "sandbox worker",
    }


def test_dry_run_still_denies_and_needs_a_previewer():
    spec = rest("shop.cancel", "destructive", "DELETE")
    result = build_executor(
        Policy(dry_run=True), rest=RecordingExecutor(), python=RecordingExecutor()
    ).execute(call(spec), spec)
    assert result.status is CallStatus.DENIED

    class NoPreview:
        def execute(self, c: ApiCall, s: ApiSpec) -> CallResult:
            return CallResult(call=c, status=CallStatus.OK)

    with pytest.raises(UsageError, match="preview"):
        DryRunExecutor(NoPreview())


def test_audit_log_records_every_decision_without_secrets(tmp_path, monkeypatch):
    log = tmp_path / "audit" / "calls.jsonl"
    spec_read = rest(auth=AuthSpec(env="SHOP_TOKEN"))
    spec_write = rest("shop.pay", "write", "POST")
    echo_secret = CallResult(status=CallStatus.OK, output={"echo": f"Bearer {SECRET}", "url": f"?k={SECRET}"})
    inner = RecordingExecutor({"shop.order": echo_secret})
    executor = build_executor(audit_log=log, rest=inner, python=RecordingExecutor())
    monkeypatch.setenv("SHOP_TOKEN", SECRET)
    assert executor.execute(call(spec_read, order_id=SECRET), spec_read).ok
    assert executor.execute(call(spec_write), spec_write).status is CallStatus.DENIED
    assert (
        executor.execute(ApiCall(api_id="shop.order", arguments={}), spec_read).status is CallStatus.INVALID
    )
    text = log.read_text()
    assert SECRET not in text
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["status"] for r in records] == ["ok", "denied", "invalid"]
    assert records[0]["output"] == {"echo": "Bearer ***", "url": "?k=***"}
    assert records[0]["arguments"] == {"order_id": "***"}
    assert "confirmation required" in records[1]["error"]
    assert all({"time", "api_id", "kind", "side_effects", "status"} <= set(r) for r in records)


def test_audit_log_records_raised_misuse(tmp_path):
    log = tmp_path / "a.jsonl"
    spec = rest()
    with pytest.raises(UsageError):
        AuditLogExecutor(RestExecutor(), log).execute(ApiCall(api_id="other.api"), spec)
    assert json.loads(log.read_text())["status"] == "raised"


def test_recording_executor_scripts():
    spec = rest()
    fake = RecordingExecutor(
        {"shop.order": lambda c, s: CallResult(call=c, status=CallStatus.ERROR, error="x")}
    )
    assert fake.execute(call(spec), spec).error == "x"
    assert fake.api_ids == ["shop.order"]
    assert RecordingExecutor().execute(call(spec), spec).output == {
        "api_id": "shop.order",
        "arguments": {"order_id": "o-1"},
    }


def test_guard_alone_in_dry_run_never_executes_nor_asks():
    inner = RecordingExecutor()
    asked: list[str] = []
    guard = GuardedExecutor(inner, Policy(dry_run=True), confirm=lambda c, s, r: asked.append(r) is None)
    for spec in (rest(), rest("shop.pay", "write", "POST")):
        result = guard.execute(call(spec), spec)
        assert result.status is CallStatus.DRY_RUN
        assert result.request == {"kind": "rest", "api_id": spec.id, "arguments": {"order_id": "o-1"}}
    assert inner.calls == []
    assert asked == []
