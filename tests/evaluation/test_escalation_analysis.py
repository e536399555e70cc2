"""The cascade replay (``benchmarks/escalation_analysis.py``): the answers and time a cascade would have."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.evaluation.conftest import load_benchmark


@pytest.fixture(scope="module")
def analysis() -> ModuleType:
    return load_benchmark("escalation_analysis")


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path, Path]:
    small = _write(
        tmp_path / "small.jsonl",
        [
            {"query": "sure", "category": "single", "ok": True, "seconds": 1.0, "missing": []},
            {"query": "close", "category": "single", "ok": False, "seconds": 2.0, "missing": []},
            {"query": "overruled", "category": "single", "ok": False, "seconds": 1.0, "missing": ["x"]},
            {"query": "poem", "category": "no_call", "ok": True, "seconds": 1.0, "missing": []},
        ],
    )
    large = _write(
        tmp_path / "large.jsonl",
        [
            {"query": "sure", "category": "single", "ok": False, "seconds": 4.0, "missing": []},
            {"query": "close", "category": "single", "ok": True, "seconds": 4.0, "missing": []},
            {"query": "overruled", "category": "single", "ok": True, "seconds": 4.0, "missing": []},
            {"query": "poem", "category": "no_call", "ok": True, "seconds": 4.0, "missing": []},
        ],
    )
    margins = tmp_path / "margins.json"
    margins.write_text(
        json.dumps(
            [
                # fused: a -10 + 1.5 * -10 = -25, b -20 + 1.5 * -20 = -50: a sure pick, a gap of 25
                {
                    "query": "sure",
                    "margin": 9.0,
                    "functions": {"a": -10.0, "b": -20.0, "none": -30.0},
                    "channel": {"a": -10.0, "b": -20.0},
                },
                # fused: a -25, b -26: a gap of 1, the model's own pick kept
                {
                    "query": "close",
                    "margin": 4.0,
                    "functions": {"a": -10.0, "b": -11.0, "none": -30.0},
                    "channel": {"a": -10.0, "b": -10.0},
                },
                # the model prefers b (-10), the channel makes a win (-10.5 - 15 = -25.5 vs -10 - 30 = -40)
                {
                    "query": "overruled",
                    "margin": 1.0,
                    "functions": {"a": -10.5, "b": -10.0, "none": -30.0},
                    "channel": {"a": -10.0, "b": -20.0},
                },
                {
                    "query": "poem",
                    "margin": -5.0,
                    "functions": {"a": -15.0, "none": -9.0},
                    "channel": {"a": -9.0},
                },
            ]
        ),
        encoding="utf-8",
    )
    return small, large, margins


def test_rows_read_each_request_s_signals(analysis: ModuleType, runs: tuple[Path, Path, Path]) -> None:
    rows = dict(zip(["sure", "close", "overruled", "poem"], analysis._rows(*runs), strict=True))
    assert rows["sure"]["gap"] == pytest.approx(25.0)
    assert rows["close"]["gap"] == pytest.approx(1.0)
    assert not rows["sure"]["overruled"]
    assert not rows["close"]["overruled"]
    assert rows["overruled"]["overruled"]
    assert rows["overruled"]["asks"]
    assert not rows["close"]["asks"]
    assert rows["poem"]["gap"] == float("inf")  # one candidate: nothing to be unsure between


def test_a_line_counts_escalations_answers_and_time(
    analysis: ModuleType, runs: tuple[Path, Path, Path]
) -> None:
    rows = analysis._rows(*runs)
    never = analysis._line("never", rows, lambda row: False).split()
    assert never[1:4] == ["0/4", "1/3", "2/4"]  # 1 of 3 calls right, plus the no-call request
    assert never[4] == "1.25"  # (1 + 2 + 1 + 1) / 4
    close = analysis._line("gap", rows, lambda row: row["gap"] < 2).split()
    assert close[1:4] == ["1/4", "2/3", "3/4"]
    assert close[4] == "2.25"  # the escalated request adds the large run's 4 s
    everything = analysis._line("always", rows, lambda row: True).split()
    assert everything[1:4] == ["4/4", "2/3", "3/4"]


def test_a_file_that_is_not_a_margins_file_is_named(
    analysis: ModuleType, runs: tuple[Path, Path, Path]
) -> None:
    small, large, _ = runs
    with pytest.raises(SystemExit, match=r"small\.jsonl is not a margins file"):
        analysis._rows(small, large, small)
