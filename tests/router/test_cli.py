"""The CLI commands run, plan and doctor through typer's CliRunner, with fast fakes chosen by configuration.

``GORILLA_ROUTER_BACKEND=test`` (the TestModel) and ``GORILLA_ROUTER_EMBEDDER=hash`` keep these in seconds;
the real models go through the same commands in the slow end-to-end tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gorilla_router.cli import app

SQRT = "what is the square root of 3342398"


@pytest.fixture
def fast_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GORILLA_ROUTER_BACKEND", "test")
    monkeypatch.setenv("GORILLA_ROUTER_EMBEDDER", "hash")
    monkeypatch.delenv("GORILLA_ROUTER_CONFIG", raising=False)
    return tmp_path


def test_run_json_executes_the_call(fast_env: Path) -> None:
    result = CliRunner().invoke(app, ["run", SQRT, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert payload["status"] == "ok"
    assert payload["call"]["api_id"] == "math.sqrt"
    assert payload["output"] == pytest.approx(1828.2226, abs=1e-3)


def test_run_dry_run_shows_the_request_and_panels(fast_env: Path) -> None:
    result = CliRunner().invoke(app, ["run", SQRT, "--dry-run", "-k", "3"])
    assert result.exit_code == 0, result.output
    assert "Retrieved APIs" in result.output
    assert "dry_run" in result.output
    assert "math.sqrt" in result.output


def test_plan_shows_the_guard_decision_and_executes_nothing(fast_env: Path) -> None:
    result = CliRunner().invoke(app, ["plan", SQRT, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout.strip().splitlines()[-1])
    assert plan["calls"][0]["call"]["api_id"] == "math.sqrt"
    assert plan["calls"][0]["decision"] == "execute"
    shown = CliRunner().invoke(app, ["plan", SQRT])
    assert "guard:" in shown.output
    assert "execute" in shown.output


def test_configuration_errors_exit_3_with_the_fix(fast_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_TOP_K", "lots")
    result = CliRunner().invoke(app, ["run", SQRT])
    assert result.exit_code == 3
    assert "GORILLA_ROUTER_TOP_K" in result.output
    monkeypatch.delenv("GORILLA_ROUTER_TOP_K")
    typo = CliRunner().invoke(app, ["run", SQRT, "--backend", "embeded"])
    assert typo.exit_code == 3
    assert "embedded" in typo.output


def test_doctor_reports_configuration_and_parts(fast_env: Path) -> None:
    (fast_env / "gorilla_router.toml").write_text("top_k = 4\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for expected in (
        "gorilla_router.toml",
        "top_k",
        "API Zoo",
        "Embeddings",
        "Model backend",
        "Index (Chroma)",
    ):
        assert expected in result.output
    assert "0 entries" in result.output  # nothing indexed yet, and doctor does not index
    CliRunner().invoke(app, ["run", SQRT, "--json"])
    after = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert "0 entries" not in after.output
    assert "ok" in after.output


def test_doctor_says_which_cpu_arithmetic_the_model_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from gorilla_router.cli.doctor import cpu_math_row
    from gorilla_router.generation import cpu_math

    monkeypatch.delenv("GORILLA_ROUTER_CPU_MATH", raising=False)
    monkeypatch.setattr(cpu_math, "cpu_has_bf16", lambda: False)
    assert cpu_math_row() == (
        "CPU arithmetic",
        "[green]ok[/green]",
        "float32 math over bf16 weights (this CPU has no bf16 instructions)",
    )
    monkeypatch.setenv("GORILLA_ROUTER_CPU_MATH", "bfloat16")
    _part, status, detail = cpu_math_row()
    assert "warn" in status
    assert "unset GORILLA_ROUTER_CPU_MATH" in detail
    monkeypatch.setenv("GORILLA_ROUTER_CPU_MATH", "fp32")
    _part, status, detail = cpu_math_row()
    assert "fail" in status
    assert "GORILLA_ROUTER_CPU_MATH='fp32'" in detail


def test_demo_orders_from_the_local_service(fast_env: Path) -> None:
    result = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for shown in (
        "food service listening on http://127.0.0.1:",
        "Retrieved APIs",
        "uber.eat.order",
        "guard: ask",
    ):
        assert shown in result.output
    assert "confirmed automatically for the demo" in result.output
    assert "Service reply" in result.output
    assert '"quantities"' in result.output
    assert "Orders recorded by the service" in result.output
