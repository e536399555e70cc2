"""The GGUF conversion ties an embedding matrix the file stored twice, and leaves distinct ones alone."""

from __future__ import annotations

import pytest

from gorilla_router.generation.ladder import _tie_duplicated_embeddings

torch = pytest.importorskip("torch")


def test_a_matrix_stored_twice_with_quantization_noise_is_tied(tiny_qwen2) -> None:
    model = tiny_qwen2(64, tie_word_embeddings=False)
    with torch.no_grad():
        weight = model.get_output_embeddings().weight
        model.get_input_embeddings().weight.copy_(
            weight + 0.005 * weight.abs().mean() * torch.randn_like(weight)
        )
    assert _tie_duplicated_embeddings(model)
    assert model.get_input_embeddings().weight.data_ptr() == model.get_output_embeddings().weight.data_ptr()
    assert model.config.tie_word_embeddings is True
    assert not _tie_duplicated_embeddings(model)  # already tied


def test_distinct_matrices_stay_apart(tiny_qwen2) -> None:
    model = tiny_qwen2(64, tie_word_embeddings=False)
    assert not _tie_duplicated_embeddings(model)
    assert model.get_input_embeddings().weight.data_ptr() != model.get_output_embeddings().weight.data_ptr()
    assert model.config.tie_word_embeddings is False
