"""The whole pipeline on a tiny random Qwen2: data → LoRA steps (loss falls) → merged folder → the router.

Also: the run is deterministic, resumes after an interruption to the same weights, and ``import
gorilla_router`` loads nothing of the training extra.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gorilla_router.config import RouterConfig
from gorilla_router.finetune.augment import AugmentOptions
from gorilla_router.finetune.data import DataOptions, build_zoo_samples
from gorilla_router.finetune.evaluate import comparison_table, evaluate_held_out, model_backend
from gorilla_router.finetune.samples import data_fingerprint, write_samples
from gorilla_router.finetune.split import held_out_split
from gorilla_router.retrieval import HashEmbedder

pytest.importorskip("peft")
pytest.importorskip("torch")

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def samples(small_zoo, tmp_path_factory):
    reduced, _ = held_out_split(small_zoo)
    options = DataOptions(k=2, folds=2, min_score=-1.0, augment=AugmentOptions(pair=0, missing=0))
    data = build_zoo_samples(reduced, HashEmbedder(), options, workdir=tmp_path_factory.mktemp("idx"))
    return [s for s in data.samples if s.kind == "call"][:4]


def _settings(tiny_model: Path, **changes: object) -> object:
    from gorilla_router.finetune.train import TrainSettings

    base = {
        "base": str(tiny_model),
        "max_steps": 6,
        "grad_accum": 1,
        "batch_size": 2,
        "learning_rate": 0.05,
        "lora_r": 8,
        "dtype": "float32",
        "checkpoint_every": 2,
        "max_length": 768,
    }
    return TrainSettings(**{**base, **changes})  # type: ignore[arg-type]


def _adapter(folder: Path) -> dict[str, object]:
    from safetensors.torch import load_file

    return load_file(str(folder / "adapter" / "adapter_model.safetensors"))


def test_training_lowers_the_loss_and_the_router_loads_the_result(tiny_model, samples, small_zoo, tmp_path):
    from gorilla_router.finetune.train import SETTINGS_FILE, train

    # the same batch every step, no warm-up: the loss on it must fall
    settings = _settings(tiny_model, warmup_steps=0, learning_rate=0.02)
    result = train(samples[:2], tmp_path / "model", settings, progress=False)
    assert result.steps == 6
    assert len(result.losses) == 6
    assert sum(result.losses[-2:]) / 2 < result.losses[0] - 0.15, result.losses
    assert result.losses[-1] < result.losses[0]
    record = json.loads((tmp_path / "model" / SETTINGS_FILE).read_text())
    assert record["data"]["fingerprint"] == data_fingerprint(samples[:2])
    assert record["settings"]["seed"] == 0
    assert record["steps"] == 6
    assert (tmp_path / "model" / "config.json").is_file()
    assert (tmp_path / "model" / "chat_template.jinja").is_file() or "chat_template" in (
        tmp_path / "model" / "tokenizer_config.json"
    ).read_text()
    assert not (tmp_path / "model" / "checkpoint").exists()

    reduced, items = held_out_split(small_zoo)
    config = RouterConfig.load(
        environ={},
        embedder="hash",
        top_k=2,
        min_score=-1.0,
        chroma_path=tmp_path / "index",
        collection="heldout",
    )
    after = evaluate_held_out(reduced, items[:2], model_backend(tmp_path / "model"), config, name="after")
    assert after.total == 2
    assert after.hallucination == 0.0  # constrained: never an API outside the candidates
    for outcome in after.items:
        assert len(outcome.candidates) == 2
        assert outcome.calls or outcome.extra["no_call"]
    assert "exact-call accuracy" in str(comparison_table(after, after).columns[0]._cells)


def test_training_is_deterministic_and_resumes_after_an_interruption(tiny_model, samples, tmp_path):
    import torch

    from gorilla_router.finetune.train import CHECKPOINT, train

    settings = _settings(tiny_model, max_steps=4, batch_size=1, grad_accum=2)
    straight = train(samples, tmp_path / "straight", settings, progress=False)

    class Interrupted(Exception):
        pass

    def stop_at_three(step: int, _loss: float) -> None:
        if step == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        train(samples, tmp_path / "resumed", settings, progress=False, on_step=stop_at_three)
    assert (tmp_path / "resumed" / CHECKPOINT / "trainer_state.pt").is_file()
    assert not (tmp_path / "resumed" / "finetune.json").exists()
    resumed = train(samples, tmp_path / "resumed", settings, progress=False)
    assert resumed.resumed_from == 2
    assert resumed.losses[:2] == straight.losses[:2]
    assert resumed.losses == pytest.approx(straight.losses, rel=1e-4)
    first, second = _adapter(tmp_path / "straight"), _adapter(tmp_path / "resumed")
    assert first.keys() == second.keys()
    for name in first:
        assert torch.allclose(first[name], second[name], atol=1e-5), name


def test_a_checkpoint_from_other_settings_is_refused(tiny_model, samples, tmp_path):
    from gorilla_router.errors import ConfigError
    from gorilla_router.finetune.train import train

    def stop(step: int, _loss: float) -> None:
        if step == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(samples, tmp_path / "m", _settings(tiny_model, max_steps=3), progress=False, on_step=stop)
    with pytest.raises(ConfigError, match="other settings or data"):
        train(samples, tmp_path / "m", _settings(tiny_model, max_steps=3, learning_rate=0.01), progress=False)


def test_cli_data_train_eval(tiny_model, small_zoo, tmp_path):
    from gorilla_router.cli import app

    runner = CliRunner()
    zoo_file = small_zoo.save(tmp_path / "zoo.json")
    data = tmp_path / "data.jsonl"
    common = ["--zoo", str(zoo_file), "--embedder", "hash", "-k", "2"]
    made = runner.invoke(app, ["finetune", "data", *common, "-o", str(data)])
    assert made.exit_code == 0, made.output
    assert "call" in made.output
    assert data.is_file()
    model = tmp_path / "model"
    trained = runner.invoke(
        app,
        [
            "finetune",
            "train",
            "--data",
            str(data),
            "--base",
            str(tiny_model),
            "-o",
            str(model),
            "--max-steps",
            "2",
            "--limit",
            "4",
            "--dtype",
            "float32",
            "--max-length",
            "768",
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert "done: 2 steps" in trained.output
    evaluated = runner.invoke(
        app,
        ["finetune", "eval", "--model", str(model), *common, "--limit", "2", "-o", str(tmp_path / "eval")],
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert "exact-call accuracy" in evaluated.output
    assert "before" in evaluated.output
    assert (tmp_path / "eval" / "finetune-after.jsonl").is_file()


def test_importing_the_router_loads_nothing_of_the_training_extra():
    probe = (
        "import sys, gorilla_router; gorilla_router.GorillaRouter; "
        "print([m for m in ('peft', 'gorilla_router.finetune', 'bitsandbytes') if m in sys.modules])"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert loaded.stdout.strip() == "[]"


def test_write_samples_is_atomic(tmp_path, samples):
    target = write_samples(samples, tmp_path / "d.jsonl")
    assert target.read_text().count("\n") == len(samples)
    assert [p.name for p in tmp_path.iterdir()] == ["d.jsonl"]


def test_name_weight_weighs_the_function_name_tokens(tiny_model, samples, tokenizer):
    import torch
    from transformers import AutoModelForCausalLM

    from gorilla_router.finetune.render import encode_sample
    from gorilla_router.finetune.train import _batch, _loss

    model = AutoModelForCausalLM.from_pretrained(str(tiny_model), dtype=torch.float32)
    encoded = [encode_sample(tokenizer, s) for s in samples[:2]]
    assert all(e.name_tokens for e in encoded)
    pad = int(tokenizer.pad_token_id or 0)
    with torch.no_grad():
        plain = _loss(model, _batch(encoded, pad, torch, "cpu"), torch)
        batch = _batch(encoded, pad, torch, "cpu")
        keep = batch["keep"]
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        logits = logits[:, -keep - 1 : -1, :]
        per_token = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), batch["labels"].reshape(-1), reduction="none"
        ).reshape(len(encoded), keep)
        labelled = batch["labels"] != -100
        assert plain == pytest.approx(float(per_token[labelled].mean()), rel=1e-4)
        name = torch.zeros_like(labelled)
        for row, e in enumerate(encoded):
            offset = len(e.labels) - keep
            for index in e.name_tokens:
                name[row, index - offset] = True
        weighted = _loss(model, _batch(encoded, pad, torch, "cpu", name_weight=5.0), torch)
        expected = (per_token[labelled & ~name].sum() + 5 * per_token[name].sum()) / (
            (labelled & ~name).sum() + 5 * name.sum()
        )
    assert weighted == pytest.approx(float(expected), rel=1e-4)
    assert weighted != pytest.approx(float(plain), rel=1e-3)
