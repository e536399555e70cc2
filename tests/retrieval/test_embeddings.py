from __future__ import annotations

import numpy as np
import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.retrieval.base import Embedder
from gorilla_router.retrieval.embeddings import HashEmbedder, SentenceTransformerEmbedder, embedding_dimension


def test_hash_embedder_is_deterministic_normalised_and_counts_calls() -> None:
    embedder = HashEmbedder(dimension=32)
    first = embedder.embed(["weather in Paris", "stock price", ""])
    second = HashEmbedder(dimension=32).embed(["weather in Paris", "stock price", ""])
    assert isinstance(embedder, Embedder)
    assert first.dtype == np.float32
    assert first.shape == (3, 32)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first, second)
    assert embedder.calls == 3
    assert embedder.embed([]).shape == (0, 32)


def test_hash_embedder_rejects_tiny_dimension() -> None:
    with pytest.raises(ConfigError, match="dimension"):
        HashEmbedder(dimension=1)


@pytest.mark.slow
def test_minilm_vectors_are_normalised_and_semantic(minilm: SentenceTransformerEmbedder) -> None:
    vectors = minilm.embed(["weather forecast for tomorrow", "will it rain tomorrow?", "square root of 9"])
    assert minilm.dimension == 384
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert minilm.embed([]).shape == (0, 384)
    assert minilm.name == "sentence-transformers/all-MiniLM-L6-v2"


@pytest.mark.slow
def test_model_is_loaded_once_per_process(minilm: SentenceTransformerEmbedder) -> None:
    again = SentenceTransformerEmbedder(device=minilm.device)
    assert again._model is minilm._model


def test_bad_batch_size_and_missing_model_are_clear_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="batch_size"):
        SentenceTransformerEmbedder(batch_size=0)
    with pytest.raises(ConfigError, match="cannot load embedding model"):
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"), device="cpu")


class _CurrentApi:
    def get_embedding_dimension(self) -> int:
        return 384

    def get_sentence_embedding_dimension(self) -> int:
        raise AssertionError("the renamed method must not be called when the current one exists")


class _OldApi:
    def get_sentence_embedding_dimension(self) -> int:
        return 768


class _NoAnswer:
    def get_embedding_dimension(self) -> None:
        return None

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.zeros((len(texts), 12), dtype=np.float32)


def test_embedding_dimension_prefers_the_current_api_and_falls_back() -> None:
    assert embedding_dimension(_CurrentApi()) == 384
    assert embedding_dimension(_OldApi()) == 768  # sentence-transformers before the rename
    assert embedding_dimension(_NoAnswer()) == 12  # measured by encoding a probe


def test_real_model_dimension_raises_no_future_warning(minilm: SentenceTransformerEmbedder) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        assert embedding_dimension(minilm._model) == minilm.dimension == 384
