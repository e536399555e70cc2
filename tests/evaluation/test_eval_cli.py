"""``gorilla-router eval …`` through typer's CliRunner: the fixture files, and (data-marked) the real sets."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from gorilla_router.cli import app
from gorilla_router.evaluation.apibench import read_jsonl  # the reader the CLI's own output must satisfy

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))


def bfcl_args(fixtures_dir):
    return [
        "eval",
        "bfcl",
        "--questions",
        str(fixtures_dir / "bfcl_questions.jsonl"),
        "--answers",
        str(fixtures_dir / "bfcl_answers.jsonl"),
    ]


def test_bfcl_responses_mode_prints_tables_and_writes_items(fixtures_dir, tmp_path):
    out = tmp_path / "results.jsonl"
    result = runner.invoke(
        app,
        [
            *bfcl_args(fixtures_dir),
            "--responses",
            str(fixtures_dir / "bfcl_responses.jsonl"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "60.0%" in result.output
    assert "10.0%" in result.output
    assert "parallel_multiple" in result.output
    rows = {row["id"]: row for row in read_jsonl(out)}
    assert len(rows) == 10
    assert rows["simple_3"]["reason"] == "param 'labels'[0]: got 'b', expected 'a'"
    assert rows["multiple_0"]["hallucination"] is True


def test_bfcl_end_to_end_with_the_test_backend(fixtures_dir, tmp_path):
    result = runner.invoke(app, [*bfcl_args(fixtures_dir), "--backend", "test", "--limit", "6"])
    assert result.exit_code == 0, result.output
    default_out = tmp_path / "cache" / "eval" / "bfcl.jsonl"
    rows = read_jsonl(default_out)
    assert len(rows) == 6
    # TestModel fills required parameters with blanks: only the all-optional item passes.
    assert [r["id"] for r in rows if r["passed"]] == ["simple_5"]
    assert rows[2]["raw_output"] == "geometry.circle_area(radius=0.0)"


def test_bad_input_exits_with_a_clear_error(fixtures_dir, tmp_path):
    missing = runner.invoke(
        app, ["eval", "bfcl", "--questions", str(tmp_path / "nope.jsonl"), "--backend", "test"]
    )
    assert missing.exit_code == 3
    assert "file not found" in missing.output
    unanswered = runner.invoke(
        app, ["eval", "bfcl", "--questions", str(fixtures_dir / "bfcl_questions.jsonl"), "--backend", "test"]
    )
    assert unanswered.exit_code == 3
    assert "pass --answers" in unanswered.output
    hub = runner.invoke(app, ["eval", "apibench", "--hub", "pytorch", "--data", str(tmp_path)])
    assert hub.exit_code == 3
    assert "use one of" in hub.output


@pytest.mark.data
def test_openfunctions_responses_and_retrieve_mode(shared_data, tmp_path):
    records = json.loads((shared_data / "openfunctions-v1-test.json").read_text())
    responses = tmp_path / "gold.jsonl"
    responses.write_text(
        "".join(
            json.dumps({"id": f"simple_{i}", "result": r["model_answer"]}) + "\n"
            for i, r in enumerate(records)
        )
    )
    gold = runner.invoke(
        app,
        [
            "eval",
            "openfunctions",
            "--data",
            str(shared_data),
            "--responses",
            str(responses),
            "--out",
            str(tmp_path / "of.jsonl"),
        ],
    )
    assert gold.exit_code == 0, gold.output
    assert "98.2%" in gold.output  # 110 of 112: the gold breaks its own schema twice
    retrieve = runner.invoke(
        app,
        [
            "eval",
            "openfunctions",
            "--data",
            str(shared_data),
            "--mode",
            "retrieve",
            "--backend",
            "test",
            "--limit",
            "5",
            "--out",
            str(tmp_path / "r.jsonl"),
        ],
    )
    assert retrieve.exit_code == 0, retrieve.output
    rows = read_jsonl(tmp_path / "r.jsonl")
    assert len(rows) == 5
    assert all(len(r["candidates"]) == 3 for r in rows)
    bad_mode = runner.invoke(app, ["eval", "openfunctions", "--data", str(shared_data), "--mode", "oracle"])
    assert bad_mode.exit_code == 3
    assert "use gold or retrieve" in bad_mode.output


@pytest.mark.data
def test_apibench_responses_mode_reproduces_torchhub(shared_data, tmp_path):
    responses = (
        shared_data / "apibench" / "responses" / "torchhub" / "response_torchhub_Gorilla_FT_0_shot.jsonl"
    )
    result = runner.invoke(
        app,
        [
            "eval",
            "apibench",
            "--hub",
            "torchhub",
            "--data",
            str(shared_data),
            "--responses",
            str(responses),
            "--out",
            str(tmp_path / "th.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "75.8%" in result.output
    assert "16.1%" in result.output
    rows = read_jsonl(tmp_path / "th.jsonl")
    assert len(rows) == 186
    assert {r["extra"]["verdict"] for r in rows} >= {"correct", "wrong", "hallucination"}


@pytest.mark.data
def test_apibench_own_retriever_mode(shared_data, tmp_path):
    result = runner.invoke(
        app,
        [
            "eval",
            "apibench",
            "--hub",
            "torchhub",
            "--data",
            str(shared_data),
            "--limit",
            "12",
            "--out",
            str(tmp_path / "own.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = read_jsonl(tmp_path / "own.jsonl")
    assert len(rows) == 12
    assert all(
        r["extra"]["verdict"] in ("correct", "wrong") for r in rows
    )  # a database API is never a hallucination


@pytest.mark.data
def test_apibench_backend_mode_scores_the_api_the_backend_chose(shared_data, tmp_path):
    args = ["eval", "apibench", "--hub", "torchhub", "--data", str(shared_data), "--limit", "6"]
    alone = runner.invoke(app, [*args, "--out", str(tmp_path / "alone.jsonl")])
    with_backend = runner.invoke(app, [*args, "--backend", "test", "--out", str(tmp_path / "test.jsonl")])
    assert alone.exit_code == 0, alone.output
    assert with_backend.exit_code == 0, with_backend.output
    # TestModel calls the top candidate, so it must score exactly like the retriever's top-1
    verdicts = [
        [r["extra"]["verdict"] for r in read_jsonl(tmp_path / f)] for f in ("alone.jsonl", "test.jsonl")
    ]
    assert verdicts[0] == verdicts[1]
    assert all(r["raw_output"].startswith("torchhub.r") for r in read_jsonl(tmp_path / "test.jsonl"))
