"""The int8 vocabulary projection: close to bf16, applied only where it can be, and the bf16 pages handed
back only when they read back the same."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gorilla_router.generation.output_head import (
    Int8OutputHead,
    _unmodified_file_pages,
    quantize_output_head,
)

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps (Linux)")
VOCABULARY = 4096
WIDTH = 256


def _resident_kb(tensor) -> int:
    """Resident kB of the mapping that holds ``tensor`` (``/proc/self/smaps``)."""
    address, inside = tensor.data_ptr(), False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and ":" not in fields[0]:
            low, high = (int(part, 16) for part in fields[0].split("-"))
            inside = low <= address < high
        elif inside and fields[0] == "Rss:":
            return int(fields[1])
    raise AssertionError("no mapping holds the tensor")


@pytest.fixture
def saved_model(tiny_qwen2, tmp_path: Path) -> Path:
    """A tied-embedding Qwen2 of 4,096 words × 256 saved as bf16 safetensors (a 2 MB embedding)."""
    model = tiny_qwen2(VOCABULARY, seed=3, hidden_size=WIDTH, tie_word_embeddings=True)
    model.to(torch.bfloat16).save_pretrained(tmp_path)
    return tmp_path


def _load(folder: Path):
    return transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16).eval()


def test_int8_scores_stay_within_bf16_rounding() -> None:
    torch.manual_seed(0)
    weight = (torch.randn(VOCABULARY, WIDTH) * 0.05).to(torch.bfloat16)
    hidden = torch.randn(2, 5, WIDTH).to(torch.bfloat16)
    exact = hidden.float() @ weight.float().T
    head = Int8OutputHead(weight)
    scores = head(hidden)
    assert scores.shape == (2, 5, VOCABULARY)
    assert head.out_features == VOCABULARY
    assert head.weight_int8.dtype == torch.int8
    assert head.weight_int8.element_size() == 1
    error = (scores.float() - exact).abs()
    # each weight is off by at most half an int8 step (its row's absmax / 127), so a score by at most
    # the inputs' absolute sum times that; plus bf16 rounding of the scale and the result (2^-8 each)
    half_step = weight.float().abs().amax(dim=1) / 127 / 2
    bound = hidden.float().abs().sum(-1, keepdim=True) * half_step + exact.abs() * 2**-7
    assert bool((error <= bound).all())
    assert float(error.mean()) < 0.01 * float(exact.abs().mean())


def test_the_model_gets_the_int8_head_and_keeps_its_input_embeddings(saved_model: Path) -> None:
    model = _load(saved_model)
    ids = torch.tensor([[5, 17, 99, 4000]])
    with torch.inference_mode():
        before = model(input_ids=ids).logits.float()
    embedding = model.get_input_embeddings().weight
    reference = embedding[ids[0]].clone()
    assert quantize_output_head(model)
    assert isinstance(model.get_output_embeddings(), Int8OutputHead)
    assert not model.config.tie_word_embeddings
    assert model.get_input_embeddings().weight is embedding
    assert torch.equal(model.get_input_embeddings().weight[ids[0]], reference)  # read back from the file
    with torch.inference_mode():
        after = model(input_ids=ids).logits.float()
    assert torch.equal(after.argmax(-1), before.argmax(-1))
    assert float((after - before).abs().max()) < 0.05 * float(before.abs().max())
    assert not quantize_output_head(model)  # once only


@LINUX
def test_the_bf16_pages_are_handed_back(saved_model: Path) -> None:
    model = _load(saved_model)
    embedding = model.get_input_embeddings().weight
    assert _unmodified_file_pages(embedding)
    float(embedding.detach().float().sum())  # every page resident
    resident = _resident_kb(embedding)
    assert quantize_output_head(model)
    size_kb = embedding.numel() * embedding.element_size() // 1024
    assert resident - _resident_kb(embedding) >= size_kb - 8  # all but the two edge pages


@LINUX
def test_written_pages_are_never_dropped(saved_model: Path) -> None:
    """A weight changed in place lives only in memory: dropping its pages would undo the change."""
    model = _load(saved_model)
    embedding = model.get_input_embeddings().weight
    with torch.no_grad():
        embedding[7] = 1.0
    assert not _unmodified_file_pages(embedding)
    assert not quantize_output_head(model)  # tied, and its pages cannot be handed back: nothing to save
    assert torch.equal(model.get_input_embeddings().weight[7], torch.ones(WIDTH, dtype=torch.bfloat16))
    assert torch.equal(model.get_output_embeddings().weight[7], torch.ones(WIDTH, dtype=torch.bfloat16))


def test_only_bf16_on_the_cpu(tiny_qwen2) -> None:
    model = tiny_qwen2(128, seed=1)  # float32
    assert not quantize_output_head(model)
    assert isinstance(model.get_output_embeddings(), torch.nn.Linear)


def test_the_loader_keeps_each_variant_apart(saved_model: Path) -> None:
    from gorilla_router.generation.constrained.state_store import StateStore
    from gorilla_router.generation.transformers_backend import load_model

    plain = load_model(str(saved_model), "cpu", "bfloat16")
    quantized = load_model(str(saved_model), "cpu", "bfloat16", int8_output=True)
    assert plain is not quantized
    assert (plain.output_head, quantized.output_head) == ("same", "int8")
    assert isinstance(quantized.model.get_output_embeddings(), Int8OutputHead)
    assert isinstance(plain.model.get_output_embeddings(), torch.nn.Linear)
    assert load_model(str(saved_model), "cpu", "bfloat16", int8_output=True) is quantized
    same, int8 = StateStore.for_model(saved_model), StateStore.for_model(saved_model, variant="int8")
    assert same is not None
    assert int8 is not None
    assert same.folder != int8.folder


def test_a_scorer_shares_its_backends_weights_and_projection(saved_model: Path) -> None:
    """Inline scoring with the router's own model must not load it a second time in bf16."""
    from gorilla_router.generation.transformers_backend import TransformersBackend, load_model
    from gorilla_router.inline.hf_scorer import HfScorer

    backend = TransformersBackend(str(saved_model), device="cpu", prompt_format="fewshot", int8_output=True)
    assert HfScorer.for_backend(backend).loaded() is backend.loaded()
    assert backend.loaded().output_head == "int8"
    exact = TransformersBackend(str(saved_model), device="cpu", prompt_format="fewshot")
    assert HfScorer.for_backend(exact).loaded() is exact.loaded()
    assert exact.loaded().output_head == "same"
    # where int8 does not apply (float32 here, a GPU) asking for it changes nothing, so nothing loads twice
    float32 = load_model(str(saved_model), "cpu", "float32", int8_output=True)
    assert float32 is load_model(str(saved_model), "cpu", "float32")
    assert float32.output_head == "same"


def test_a_tied_matrix_held_in_memory_is_not_doubled(tiny_qwen2) -> None:
    """Tied to the inputs and not a file mapping, the bf16 matrix stays: an int8 copy would add memory."""
    model = tiny_qwen2(256, seed=2, tie_word_embeddings=True).to(torch.bfloat16)
    assert model.get_output_embeddings().weight.data_ptr() == model.get_input_embeddings().weight.data_ptr()
    assert not quantize_output_head(model)
    untied = tiny_qwen2(256, seed=2, tie_word_embeddings=False).to(torch.bfloat16)
    assert quantize_output_head(untied)  # its bf16 head is freed with the module it replaces
