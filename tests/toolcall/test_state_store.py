"""Prompt heads and channel prefixes persist between processes: read back equal, never run again."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router.generation.constrained.state_store import StateStore
from gorilla_router.generation.constrained.testing import CharTokenizer
from gorilla_router.generation.constrained.torch_chooser import TorchChooser

torch = pytest.importorskip("torch")

PREFIXES = ["Function `math.sqrt`: the square root. A request: ", "Function `math.pow`: a power. A request: "]


def a_state(length: int = 3) -> tuple:
    kv = tuple((torch.randn(1, 2, length, 8), torch.randn(1, 2, length, 8)) for _ in range(2))
    return kv, length, torch.log_softmax(torch.randn(50), dim=-1)


def test_a_state_reads_back_equal(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    kv, length, logprobs = a_state()
    store.save("fresh", "some text", (kv, length, logprobs))
    loaded = store.load("fresh", "some text")
    assert loaded is not None
    assert loaded[1] == length
    assert torch.equal(loaded[2], logprobs)
    for (keys, values), (k, v) in zip(loaded[0], kv, strict=True):
        assert torch.equal(keys, k)
        assert torch.equal(values, v)
    assert store.load("head", "some text") is None  # another framing of the same text
    assert store.load("fresh", "other text") is None


def test_an_unreadable_file_is_computed_again(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.save("fresh", "text", a_state())
    [written] = list(tmp_path.glob("*.safetensors"))
    written.write_bytes(written.read_bytes()[:100])  # cut short, as by a crash mid-write
    assert store.load("fresh", "text") is None


def test_the_store_belongs_to_one_weights_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    model = tmp_path / "model"
    model.mkdir()
    assert StateStore.for_model(model) is None  # no weights: nothing to key a store by
    (model / "model.safetensors").write_bytes(b"one")
    first = StateStore.for_model(model)
    assert first is not None
    assert first.folder.is_relative_to(tmp_path / "cache")
    (model / "model.safetensors").write_bytes(b"other weights")
    second = StateStore.for_model(model)
    assert second is not None
    assert second.folder != first.folder
    monkeypatch.setenv("GORILLA_ROUTER_STATE_CACHE", "0")
    assert StateStore.for_model(model) is None


def test_a_later_chooser_reads_heads_and_prefixes_instead_of_running_them(tiny_qwen2, tmp_path: Path) -> None:
    model = tiny_qwen2(128, seed=5)
    first = TorchChooser(model, CharTokenizer(), StateStore(tmp_path))
    scores = first.continuation_logprobs(PREFIXES, "square root of 9")
    head = first.start("You write calls. ").next_logprobs
    assert first.steps == 4  # each prefix alone, the continuation, the head

    later = TorchChooser(model, CharTokenizer(), StateStore(tmp_path))  # nothing in memory
    assert later.continuation_logprobs(PREFIXES, "square root of 9") == scores
    assert torch.equal(later.start("You write calls. ").next_logprobs, head)
    assert later.steps == 1  # the continuation only

    without = TorchChooser(model, CharTokenizer())  # computed again: the very same numbers
    assert without.continuation_logprobs(PREFIXES, "square root of 9") == scores
    assert without.steps == 3


def test_the_least_recently_used_states_go_beyond_the_size_limit(tmp_path: Path) -> None:
    import os

    store = StateStore(tmp_path)
    for seconds, text in enumerate(["old", "used", "new"], start=1):
        store.save("fresh", text, a_state())
        os.utime(store._path("fresh", text), ns=(seconds * 10**9, seconds * 10**9))
    size = max(f.stat().st_size for f in tmp_path.glob("*.safetensors"))
    store.max_bytes = size  # room for one
    assert store.load("fresh", "used") is not None  # read: now the most recently used
    store.prune()
    assert [text for text in ("old", "used", "new") if store._path("fresh", text).exists()] == ["used"]


def test_with_a_store_fewer_prefixes_stay_in_memory_and_the_rest_come_back_without_a_pass(
    tiny_qwen2, tmp_path: Path, monkeypatch
) -> None:
    from gorilla_router.generation.constrained import torch_chooser

    monkeypatch.setattr(torch_chooser, "_FRESH_CACHE_SIZE_WITH_STORE", 1)
    chooser = TorchChooser(tiny_qwen2(128, seed=5), CharTokenizer(), StateStore(tmp_path))
    scores = chooser.continuation_logprobs(PREFIXES, "square root of 9")
    assert len(chooser._fresh) == 1  # the memory keeps one; the store keeps both
    steps = chooser.steps
    assert chooser.continuation_logprobs(PREFIXES, "square root of 9") == scores
    assert chooser.steps == steps + 1  # the evicted prefix was read back, not run: the continuation only
