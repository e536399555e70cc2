"""An adapter folder loads as a model: merged once into its base without peft, equal to peft's merge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.finetune.augment import AugmentOptions
from gorilla_router.finetune.data import DataOptions, build_zoo_samples
from gorilla_router.finetune.split import held_out_split
from gorilla_router.retrieval import HashEmbedder

torch = pytest.importorskip("torch")
pytest.importorskip("peft")

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def trained(tiny_model, small_zoo, tmp_path_factory) -> Path:
    from gorilla_router.finetune.train import TrainSettings, train

    reduced, _ = held_out_split(small_zoo)
    options = DataOptions(k=2, folds=2, min_score=-1.0, augment=AugmentOptions(pair=0, missing=0))
    data = build_zoo_samples(reduced, HashEmbedder(), options, workdir=tmp_path_factory.mktemp("idx"))
    samples = [s for s in data.samples if s.kind == "call"][:2]
    out = tmp_path_factory.mktemp("ft") / "model"
    settings = TrainSettings(
        base=str(tiny_model),
        max_steps=3,
        grad_accum=1,
        batch_size=2,
        learning_rate=0.05,
        lora_r=8,
        dtype="float32",
        max_length=768,
    )
    train(samples, out, settings, progress=False)
    (out / "decoding.json").write_text(json.dumps({"no_call_bias": -0.5}), encoding="utf-8")
    return out


def test_an_adapter_folder_is_merged_once_and_equals_peft_s_merge(trained, tiny_model, tmp_path, monkeypatch):
    from safetensors.torch import load_file

    from gorilla_router.generation.ladder import local_model_folder

    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    adapter = tmp_path / "shipped"
    shutil.copytree(trained / "adapter", adapter)  # the adapter alone, with its provenance beside it
    shutil.copy2(trained / "finetune.json", adapter / "finetune.json")
    shutil.copy2(trained / "decoding.json", adapter / "decoding.json")
    merged = local_model_folder(str(adapter))
    assert merged.is_relative_to(tmp_path / "cache")
    ours, peft_s = load_file(str(merged / "model.safetensors")), load_file(str(trained / "model.safetensors"))
    base = load_file(str(tiny_model / "model.safetensors"))
    adapted = "model.layers.1.self_attn.q_proj.weight"
    assert not torch.allclose(ours[adapted], base[adapted])  # the adapter changed it …
    for key, value in peft_s.items():
        assert torch.allclose(ours[key], value, atol=1e-6), key  # … exactly as peft's merge does
    assert json.loads((merged / "decoding.json").read_text())["no_call_bias"] == -0.5
    stamp = (merged / "model.safetensors").stat().st_mtime_ns
    assert local_model_folder(str(adapter)) == merged  # cached: not merged again
    assert (merged / "model.safetensors").stat().st_mtime_ns == stamp


def test_an_adapter_without_its_base_or_of_another_kind_is_refused(trained, tmp_path, monkeypatch):
    from gorilla_router.generation.ladder import local_model_folder

    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    orphan = tmp_path / "orphan"
    shutil.copytree(trained / "adapter", orphan)
    config = json.loads((orphan / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tmp_path / "gone")
    (orphan / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(ConfigError, match="cannot find the base model"):
        local_model_folder(str(orphan))
    (orphan / "finetune.json").write_text("{}")
    with pytest.raises(ConfigError, match=r"settings\.base"):
        local_model_folder(str(orphan))
    (orphan / "finetune.json").unlink()
    config["use_dora"] = True
    (orphan / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(ConfigError, match="use_dora"):
        local_model_folder(str(orphan))
    assert not list((tmp_path / "cache").glob("models/adapted-*"))  # nothing half-written
