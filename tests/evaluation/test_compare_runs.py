"""The paired comparison of two end-to-end runs: pairing, the exact McNemar test, intervals, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.evaluation.conftest import load_benchmark

compare_runs = load_benchmark("compare_runs")


def _write(path: Path, rows: list[tuple[str, bool, float]], backend: str = "embedded") -> Path:
    lines = [
        json.dumps({"backend": backend, "query": q, "ok": ok, "seconds": s, "got": [f"f({q!r})"]})
        for q, ok, s in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_exact_mcnemar_p_value() -> None:
    assert compare_runs.mcnemar_p(0, 0) == 1.0
    assert compare_runs.mcnemar_p(0, 5) == pytest.approx(2 / 32)
    assert compare_runs.mcnemar_p(9, 1) == pytest.approx(2 * 11 / 1024)
    assert compare_runs.mcnemar_p(3, 3) == 1.0


def test_items_are_paired_by_request(tmp_path: Path) -> None:
    before = _write(
        tmp_path / "a.jsonl", [("q1", True, 1.0), ("q2", False, 2.0), ("q3", True, 1.0), ("q4", True, 4.0)]
    )
    after = _write(
        tmp_path / "b.jsonl", [("q3", False, 0.5), ("q2", True, 1.0), ("q1", True, 0.5), ("q5", True, 1.0)]
    )
    result = compare_runs.compare(compare_runs.read_run(before), compare_runs.read_run(after))
    assert result["items"] == 3  # q4 and q5 are in one run only
    assert (result["right_before"], result["right_after"]) == (2, 2)
    assert result["turned_right"] == ["q2"]
    assert result["turned_wrong"] == ["q3"]
    assert result["median_ratio"] == pytest.approx(0.5)
    low, high = result["difference_interval"]
    assert low <= 0 <= high


def test_one_backend_of_a_side_by_side_file(tmp_path: Path) -> None:
    path = tmp_path / "both.jsonl"
    _write(path, [("q1", True, 1.0), ("q2", True, 1.0)], backend="a")
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"backend": "b", "query": "q1", "ok": False, "seconds": 2.0, "got": []}) + "\n")
    with pytest.raises(SystemExit, match="twice; pick a backend"):
        compare_runs.read_run(path)
    result = compare_runs.compare(compare_runs.read_run(path, "a"), compare_runs.read_run(path, "b"))
    assert result["items"] == 1
    assert result["turned_wrong"] == ["q1"]
    with pytest.raises(SystemExit, match="no rows of backend 'c'"):
        compare_runs.read_run(path, "c")


def test_a_malformed_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"query": "q", "ok": true, "seconds": 1}\n{not json\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad\.jsonl:2: not JSON"):
        compare_runs.read_run(path)
