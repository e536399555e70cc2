"""``gorilla-router annotate`` / ``augment`` and the LangChain runnable, over the sandboxed inc/dec tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEC, INC, EveryApi
from typer.testing import CliRunner

from gorilla_router import ApiCall, GorillaRouter, RouterConfig
from gorilla_router.cli import app
from gorilla_router.execution import RecordingExecutor
from gorilla_router.generation.testing import TestModel
from gorilla_router.inline import CopyScorer

TOOLFORMER = "make these calls: [inc(1)] and [dec(2)] and [ignored(3)]"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    zoo = tmp_path / "tools.json"
    zoo.write_text(json.dumps([INC.model_dump(mode="json"), DEC.model_dump(mode="json")]), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GORILLA_ROUTER_BACKEND", "test")
    monkeypatch.setenv("GORILLA_ROUTER_EMBEDDER", "hash")
    monkeypatch.setenv("GORILLA_ROUTER_ZOO", str(zoo))
    monkeypatch.delenv("GORILLA_ROUTER_CONFIG", raising=False)
    return tmp_path


def test_cli_annotate_prints_the_text_and_a_line_per_span(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["annotate", TOOLFORMER])
    assert result.exit_code == 1, result.output  # one span was left in place
    lines = result.stdout.splitlines()
    assert lines[0] == "make these calls: [inc(1) → 2] and [dec(2) → 1] and [ignored(3)]"
    assert "[ignored(3)] → unknown_api: 'ignored' is not an API in the zoo" in result.output


def test_cli_annotate_json_from_stdin_and_dry_run(cli_env: Path) -> None:
    ok = CliRunner().invoke(app, ["annotate", "-", "--json"], input="[inc(41)] and [dec(x=1)]")
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["text"] == "[inc(41) → 42] and [dec(x=1) → 0]"
    assert [s["reason"] for s in report["spans"]] == ["executed", "executed"]

    dry = CliRunner().invoke(app, ["annotate", "[inc(41)]", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[0] == "[inc(41)]"
    assert "dry_run: would send" in dry.output
    assert "'x': 41" in dry.output


def test_cli_rejects_bad_options(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["annotate", "[inc(1)]", "--max-result-chars", "0"])
    assert result.exit_code == 3
    assert "max_result_chars must be at least 1" in result.output


def test_langchain_runnable_annotates_strings_and_messages(config: RouterConfig) -> None:
    from langchain_core.messages import AIMessage
    from langchain_core.runnables import RunnableLambda

    from gorilla_router.integrations import GorillaInlineRunnable

    sent = {"rest": RecordingExecutor(), "python": RecordingExecutor({"inc": 2, "dec": 1})}
    runnable = GorillaInlineRunnable(GorillaRouter(zoo=[INC, DEC], config=config, transports=sent))
    chain = RunnableLambda(lambda question: AIMessage(content=f"{question}: [inc(1)]")) | runnable

    assert chain.invoke("one more than one") == "one more than one: [inc(1) → 2]"
    assert runnable.invoke(TOOLFORMER) == "make these calls: [inc(1) → 2] and [dec(2) → 1] and [ignored(3)]"
    assert runnable.last.spans[-1].reason.value == "unknown_api"
    with pytest.raises(TypeError, match="str or a message"):
        runnable.invoke(42)


def test_langchain_runnable_can_augment(config: RouterConfig) -> None:
    from gorilla_router.integrations import GorillaInlineRunnable

    sent = {"rest": RecordingExecutor(), "python": RecordingExecutor({"inc": 39})}
    router = GorillaRouter(
        zoo=[INC],
        retriever=EveryApi([INC]),
        backend=TestModel(function=lambda q, c: [ApiCall(api_id="inc", arguments={"x": 38})]),
        config=config,
        transports=sent,
    )
    runnable = GorillaInlineRunnable(router, augment=True, scorer=CopyScorer())
    assert runnable.invoke("One more than 38 is 39.") == "One more than 38 is [inc(x=38) → 39] 39."
