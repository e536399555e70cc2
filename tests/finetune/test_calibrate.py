"""A fine-tune's own no-call bias: measured on samples, chosen, written beside the model, read back."""

from __future__ import annotations

import json
import shutil

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.finetune.calibrate import Margin, calibrate_no_call_bias, choose_no_call_bias
from gorilla_router.finetune.samples import Sample
from gorilla_router.generation.decoding_file import DECODING_FILE, read_decoding


def test_the_chosen_bias_decides_most_margins_right() -> None:
    margins = [
        Margin(4.0, True, True),
        Margin(2.5, True, True),
        Margin(1.0, False, False),
        Margin(-1.0, False, False),
        Margin(3.0, True, False),  # calls, but the wrong function: no bias makes it right
    ]
    bias, right = choose_no_call_bias(margins, grid=[-2.0, 0.0, 1.0, 2.0, 3.0])
    assert right == 4
    assert bias in (1.0, 2.0)
    assert 1.0 <= bias < 2.5  # no-call samples below, right calls above


def test_ties_go_to_the_middle_of_the_best_run() -> None:
    margins = [Margin(5.0, True, True), Margin(-5.0, False, False)]
    bias, right = choose_no_call_bias(margins, grid=[-6.0, -4.0, 0.0, 4.0, 6.0])
    assert (bias, right) == (0.0, 2)


def test_decoding_file_is_read_strictly(tmp_path) -> None:
    assert read_decoding(tmp_path) == {}
    (tmp_path / DECODING_FILE).write_text(json.dumps({"no_call_bias": 0.5, "chosen_on": {"samples": 3}}))
    assert read_decoding(tmp_path) == {"no_call_bias": 0.5}
    (tmp_path / DECODING_FILE).write_text(json.dumps({"no_call_bais": 0.5}))
    with pytest.raises(ConfigError, match="no_call_bais"):
        read_decoding(tmp_path)
    (tmp_path / DECODING_FILE).write_text("{")
    with pytest.raises(ConfigError, match="not valid JSON"):
        read_decoding(tmp_path)


def test_calibration_on_a_real_model_is_written_and_used_by_the_embedded_backend(
    tiny_model, tmp_path
) -> None:
    pytest.importorskip("torch")
    from gorilla_router.generation.embedded import embedded_backend

    folder = tmp_path / "model"
    shutil.copytree(tiny_model, folder)
    tools = [{"name": "math.sqrt", "description": "Square root.", "parameters": {"type": "object"}}]
    samples = [
        Sample("square root of 9", tools, "", "call", "t", [{"name": "math.sqrt", "arguments": {"x": 9}}]),
        Sample("write a poem", tools, '{"name": "none", "arguments": {}}', "irrelevance", "t"),
        Sample("ask me", tools, "I need more information", "missing", "t"),
    ]
    settings = calibrate_no_call_bias(folder, samples)
    assert settings["chosen_on"]["samples"] == 2  # the needs-input sample is neither call nor none
    assert settings["chosen_on"]["no_call_samples"] == 1
    assert settings["chosen_on"]["decided_right"] >= 1
    assert read_decoding(folder) == {"no_call_bias": settings["no_call_bias"]}
    backend = embedded_backend(str(folder))
    assert backend.options.no_call_bias == settings["no_call_bias"]  # type: ignore[attr-defined]


def test_calibration_samples_are_kept_out_of_training() -> None:
    from gorilla_router.finetune.calibrate import split_for_calibration

    samples = [Sample(f"q{i}", [], "", "call", "s") for i in range(10)]
    training, validation = split_for_calibration(samples, 3, seed=1)
    assert len(validation) == 3
    assert len(training) == 7
    assert {s.query for s in training}.isdisjoint(s.query for s in validation)
    assert split_for_calibration(samples, 3, seed=1) == (training, validation)
    assert split_for_calibration(samples, 0) == (samples, [])
    with pytest.raises(ConfigError, match="cannot keep 10"):
        split_for_calibration(samples, 10)
