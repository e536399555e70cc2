"""float32 arithmetic over bf16 weights: closer to float32 than bf16 is, weights left in bf16, chosen by
the CPU or the setting, and recorded where stored states depend on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.generation import cpu_math
from gorilla_router.generation.cpu_math import (
    FEW_ROWS,
    INT8_FEW_ROWS,
    Bf16WeightLinear,
    Int8WeightLinear,
    chosen_cpu_math,
    cpu_has_bf16,
    use_float32_math,
)

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

VOCABULARY = 512


def _bf16_model(tiny_qwen2, **changes: object):
    return tiny_qwen2(VOCABULARY, seed=5, hidden_size=64, intermediate_size=128, **changes).to(torch.bfloat16)


def _logits(model, rows: int) -> torch.Tensor:
    ids = torch.arange(rows)[None] * 7 % VOCABULARY
    with torch.inference_mode():
        return model(ids).logits.float()


@pytest.mark.parametrize("rows", [3, 40])
def test_float32_math_is_closer_to_float32_than_bf16_math(tiny_qwen2, rows: int) -> None:
    reference = _bf16_model(tiny_qwen2).float()  # the same bf16-rounded weights, float32 arithmetic
    plain = _bf16_model(tiny_qwen2)
    widened = _bf16_model(tiny_qwen2)
    assert use_float32_math(widened)
    exact = _logits(reference, rows)
    bf16_error = (_logits(plain, rows) - exact).abs().max().item()
    float32_error = (_logits(widened, rows) - exact).abs().max().item()
    assert float32_error < bf16_error
    if rows >= FEW_ROWS:  # every product of the body widened: float32 up to the order of summation
        ids = torch.arange(rows)[None] * 7 % VOCABULARY
        with torch.inference_mode():
            body = widened.model(ids).last_hidden_state
            assert body.dtype == torch.float32
            assert torch.allclose(body, reference.model(ids).last_hidden_state, atol=1e-4)


def test_weights_stay_bf16_and_the_rest_becomes_float32(tiny_qwen2) -> None:
    model = _bf16_model(tiny_qwen2, tie_word_embeddings=True)
    assert use_float32_math(model)
    layer = model.model.layers[0]
    assert isinstance(layer.mlp.up_proj, Bf16WeightLinear)
    assert layer.mlp.up_proj.weight.dtype == torch.bfloat16
    assert layer.self_attn.q_proj.bias is not None
    assert layer.self_attn.q_proj.bias.dtype == torch.float32
    assert layer.input_layernorm.weight.dtype == torch.float32
    assert model.get_input_embeddings().weight.dtype == torch.bfloat16
    head = model.get_output_embeddings()
    assert isinstance(head, Bf16WeightLinear)
    assert not head.widen
    assert head.weight.data_ptr() == model.get_input_embeddings().weight.data_ptr()  # still tied, no copy
    with torch.inference_mode():
        out = model(torch.tensor([[1, 2, 3]]), use_cache=True)
    assert out.past_key_values.layers[0].keys.dtype == torch.float32
    assert not use_float32_math(model)  # once only


def test_few_rows_use_the_bf16_weights_directly() -> None:
    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 32, bias=False).to(torch.bfloat16)
    wrapped = Bf16WeightLinear(linear)
    few = torch.randn(FEW_ROWS - 1, 64)
    many = torch.randn(FEW_ROWS, 64)
    expected_few = torch.nn.functional.linear(few.to(torch.bfloat16), linear.weight).float()
    assert torch.equal(wrapped(few), expected_few)
    assert wrapped(many).dtype == torch.float32
    assert torch.allclose(wrapped(many), many @ linear.weight.float().T, atol=1e-5)


def test_a_float32_model_is_left_alone(tiny_qwen2) -> None:
    model = tiny_qwen2(VOCABULARY, seed=5)
    assert not use_float32_math(model)
    assert isinstance(model.model.layers[0].mlp.up_proj, torch.nn.Linear)


def test_the_setting_decides_else_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_CPU_MATH", "float32")
    assert chosen_cpu_math() == "float32"
    monkeypatch.setenv("GORILLA_ROUTER_CPU_MATH", " BFloat16 ")
    assert chosen_cpu_math() == "bfloat16"
    monkeypatch.delenv("GORILLA_ROUTER_CPU_MATH")
    assert chosen_cpu_math() == ("bfloat16" if cpu_has_bf16() else "float32")
    monkeypatch.setattr(cpu_math, "cpu_has_bf16", lambda: True)
    assert chosen_cpu_math() == "bfloat16"
    monkeypatch.setattr(cpu_math, "cpu_has_bf16", lambda: False)
    assert chosen_cpu_math() == "float32"


def test_an_unknown_setting_says_what_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_CPU_MATH", "flaot32")
    with pytest.raises(ConfigError, match=r"GORILLA_ROUTER_CPU_MATH='flaot32'.*Did you mean 'float32'"):
        chosen_cpu_math()


def test_cpu_without_bf16_instructions_is_not_taken_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu_math.platform, "machine", lambda: "arm64")
    assert not cpu_has_bf16()


@pytest.mark.parametrize("math", ["bfloat16", "float32", "int8"])
def test_loaded_model_records_its_math_for_the_state_store(
    tiny_qwen2, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, math: str
) -> None:
    from gorilla_router.generation.transformers_backend import load_model

    folder = tmp_path / "tiny"
    _bf16_model(tiny_qwen2).save_pretrained(folder)
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=_word_tokenizer(), unk_token="<unk>", pad_token="<unk>"
    )
    tokenizer.save_pretrained(folder)
    monkeypatch.setenv("GORILLA_ROUTER_CPU_MATH", math)
    entry = load_model(str(folder), "cpu", "bfloat16")
    assert entry.math == math
    assert entry.state_variant == ("same" if math == "bfloat16" else f"same+{math}")
    layer = entry.model.model.layers[0]
    assert isinstance(layer.mlp.up_proj, Bf16WeightLinear) is (math == "float32")
    assert isinstance(layer.mlp.up_proj, Int8WeightLinear) is (math == "int8")


def _word_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = {"<unk>": 0, **{f"w{i}": i + 1 for i in range(VOCABULARY - 1)}}
    tokenizer = Tokenizer(models.WordLevel(vocab=words, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    return tokenizer


@pytest.mark.parametrize("rows", [1, INT8_FEW_ROWS - 1, INT8_FEW_ROWS, 100])
def test_int8_layer_computes_with_its_rounded_weights_on_both_paths(rows: int) -> None:
    torch.manual_seed(1)
    linear = torch.nn.Linear(64, 96).to(torch.bfloat16)
    layer = Int8WeightLinear(linear)
    assert layer.weight is None
    assert layer.weight_int8.dtype == torch.int8
    rounded = layer.weight_int8.float() * layer.scales
    assert (rounded - linear.weight.float()).abs().max() <= layer.scales.max() / 2 + 1e-6
    hidden = torch.randn(1, rows, 64)
    expected = hidden @ rounded.T + linear.bias.float()
    out = layer(hidden)
    assert out.shape == (1, rows, 96)
    assert out.dtype == torch.float32
    tolerance = 0.05 if rows < INT8_FEW_ROWS else 1e-4  # the int8 kernel takes bf16 activations
    assert torch.allclose(out, expected, atol=tolerance)


def test_int8_weights_keep_the_model_close(tiny_qwen2) -> None:
    reference = _bf16_model(tiny_qwen2).float()
    model = _bf16_model(tiny_qwen2)
    assert use_float32_math(model, int8_weights=True)
    assert isinstance(model.model.layers[0].mlp.down_proj, Int8WeightLinear)
    for rows in (3, 60):
        exact = _logits(reference, rows)
        error = (_logits(model, rows) - exact).abs().max().item()
        assert error < 0.05 * exact.abs().max().item()
