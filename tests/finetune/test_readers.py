"""xLAM-format and APIBench TorchHub readers: samples, malformed records by file and line, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gorilla_router.finetune.readers import (
    DataFileError,
    read_apibench_torchhub,
    read_external,
    read_xlam,
)
from gorilla_router.finetune.samples import answer_text

XLAM_RECORD = {
    "query": "Where can I find live giveaways for beta access and games?",
    "tools": json.dumps(
        [
            {
                "name": "live_giveaways_by_type",
                "description": "Retrieve live giveaways from the GamerPower API based on the specified type.",
                "parameters": {
                    "type": {
                        "description": "The type of giveaways (e.g., 'game', 'loot').",
                        "type": "str",
                        "default": "game",
                    },
                    "platform": {"description": "The platform.", "type": "str"},
                },
            }
        ]
    ),
    "answers": json.dumps(
        [
            {"name": "live_giveaways_by_type", "arguments": {"type": "beta", "platform": "pc"}},
            {"name": "live_giveaways_by_type", "arguments": {"type": "game", "platform": "pc"}},
        ]
    ),
}


def test_xlam_json_lines(tmp_path):
    path = tmp_path / "xlam.jsonl"
    irrelevant = {**XLAM_RECORD, "answers": "[]"}
    path.write_text(json.dumps(XLAM_RECORD) + "\n\n" + json.dumps(irrelevant) + "\n")
    report = read_xlam(path)
    assert report.problems == []
    first, second = report.samples
    assert first.kind == "xlam"
    tool = first.tools[0]
    assert tool["name"] == "live_giveaways_by_type"
    assert tool["parameters"]["properties"]["type"]["type"] == "string"
    assert tool["parameters"]["required"] == ["platform"]  # 'type' has a default
    assert len(first.answer.splitlines()) == 2
    assert second.kind == "xlam_irrelevance"
    assert second.answer == answer_text([])


def test_xlam_json_array_with_lists(tmp_path):
    record = {
        **XLAM_RECORD,
        "tools": json.loads(XLAM_RECORD["tools"]),
        "answers": json.loads(XLAM_RECORD["answers"]),
    }
    path = tmp_path / "xlam.json"
    path.write_text(json.dumps([record, record], indent=2))
    report = read_xlam(path)
    assert report.problems == []
    assert len(report.samples) == 2


def test_xlam_malformed_records_are_reported_by_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        json.dumps(XLAM_RECORD),
        "{not json",
        json.dumps({"query": "q", "tools": "[]"}),
        json.dumps({**XLAM_RECORD, "answers": json.dumps([{"name": "other_tool", "arguments": {}}])}),
        json.dumps({**XLAM_RECORD, "tools": "[{broken"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    report = read_xlam(path)
    assert len(report.samples) == 1
    assert [p.split(": ", 1)[0] for p in report.problems] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    assert "missing field(s): answers" in report.problems[1]
    assert "'other_tool'" in report.problems[2]
    with pytest.raises(DataFileError) as caught:
        read_external([path])
    assert f"{path}:2" in str(caught.value)
    assert len(read_external([path], skip_malformed=True).samples) == 1


def test_data_command_writes_nothing_when_a_file_is_malformed(tmp_path, small_zoo):
    from gorilla_router.cli import app

    zoo_file = small_zoo.save(tmp_path / "zoo.json")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(XLAM_RECORD) + "\n{oops\n")
    out = tmp_path / "data.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "finetune",
            "data",
            "--zoo",
            str(zoo_file),
            "--embedder",
            "hash",
            "--xlam",
            str(bad),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 3, result.output
    assert f"{bad}:2" in result.output.replace("\n", "")
    assert not out.exists()
    assert not list(tmp_path.glob(".data.jsonl*"))


def _torchhub_line(name: str, call: str, instruction: str = "I need a model") -> str:
    code = f"{{'Instruction': {instruction}, 'Output': {{'api_call': \"{call}\"}}}}"
    return json.dumps(
        {
            "code": code,
            "api_call": call,
            "provider": "PyTorch",
            "api_data": {"api_name": name, "description": f"{name} model"},
        }
    )


def test_torchhub_reader(tmp_path):
    path = tmp_path / "torchhub_train.json"
    lines = [
        _torchhub_line(
            "ResNet50", "torch.hub.load(repo_or_dir='pytorch/vision', model='resnet50', pretrained=True)"
        ),
        _torchhub_line(
            "MiDaS", "torch.hub.load(repo_or_dir='intel-isl/MiDaS', model='DPT_Hybrid')", "depth please"
        ),
        _torchhub_line("GAN", "torch.hub.load(repo_or_dir='x/gan', model='DCGAN', useGPU=use_gpu)"),
        "not json at all",
        json.dumps({"api_call": "x()", "api_data": {}}),
    ]
    path.write_text("\n".join(lines) + "\n")
    report = read_apibench_torchhub(path, k=2, seed=0)
    assert [p.split(": ", 1)[0] for p in report.problems] == [f"{path}:4", f"{path}:5"]
    assert [s.split(": ", 1)[0] for s in report.skipped] == [f"{path}:3"]  # a variable, not a literal
    first, second = report.samples
    assert first.query == "I need a model"
    assert json.loads(first.answer) == {
        "name": "torchhub.ResNet50",
        "arguments": {"repo_or_dir": "pytorch/vision", "model": "resnet50", "pretrained": True},
    }
    assert len(first.tools) == 2
    assert "torchhub.ResNet50" in [t["name"] for t in first.tools]
    assert second.query == "depth please"


def test_the_real_torchhub_train_file(shared_data: Path):
    path = shared_data / "apibench" / "apibench" / "torchhub_train.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    report = read_apibench_torchhub(path, k=3)
    assert report.problems == []
    assert len(report.samples) > 600
    assert all(json.loads(s.answer)["name"] in [t["name"] for t in s.tools] for s in report.samples)
