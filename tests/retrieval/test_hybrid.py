"""The hybrid retriever over a real embedded Chroma (hash embedder for speed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router.errors import UsageError
from gorilla_router.retrieval import (
    HashEmbedder,
    HybridRetriever,
    IndexLocation,
    Retriever,
    SearchFilters,
    build_retriever,
)
from gorilla_router.retrieval.chroma_store import ChromaIndex
from gorilla_router.specs import ApiSpec


@pytest.fixture
def retriever(tmp_path: Path, small_zoo: list[ApiSpec]) -> HybridRetriever:
    return build_retriever(small_zoo, HashEmbedder(), IndexLocation.of(path=tmp_path / "index"))


def test_search_returns_ranked_candidates_with_both_scores(retriever: HybridRetriever) -> None:
    assert isinstance(retriever, Retriever)
    candidates = retriever.search("weather forecast with rain and wind for a city", k=3)
    assert [c.rank for c in candidates] == [1, 2, 3]
    assert candidates[0].spec.id == "weather.forecast"
    assert candidates[0].scores["dense_rank"] == 1
    assert candidates[0].scores["bm25_rank"] == 1
    assert {"dense", "bm25"} <= set(candidates[0].scores)
    assert candidates[0].score > candidates[1].score >= candidates[2].score


def test_filters_apply_before_the_top_k_cut(retriever: HybridRetriever) -> None:
    query = "weather forecast with rain and wind for a city"
    python_only = retriever.search(query, k=4, filters=SearchFilters(kind="python"))
    assert len(python_only) == 4
    assert all(c.spec.kind == "python" for c in python_only)
    math_only = retriever.search(query, k=5, filters=SearchFilters(tags=["math"]))
    assert {c.spec.id for c in math_only} == {"mathlib.sqrt", "mathlib.factorial"}
    writes = retriever.search("order food", k=5, filters=SearchFilters(side_effects=["write", "destructive"]))
    assert [c.spec.id for c in writes] == ["orders.create"]
    assert retriever.search(query, k=5, filters=SearchFilters(provider="nobody")) == []


def test_lexical_match_rescues_an_exact_identifier(retriever: HybridRetriever) -> None:
    top = retriever.search("textlib word_count", k=1)[0]
    assert top.spec.id == "textlib.word_count"


def test_bad_queries_are_usage_errors(retriever: HybridRetriever) -> None:
    with pytest.raises(UsageError, match="non-empty"):
        retriever.search("   ")
    with pytest.raises(UsageError, match="k must be"):
        retriever.search("weather", k=0)


def test_ids_missing_from_the_specs_are_ignored(tmp_path: Path, small_zoo: list[ApiSpec]) -> None:
    embedder = HashEmbedder()
    index = ChromaIndex(embedder, path=tmp_path)
    index.sync(small_zoo)
    narrower = HybridRetriever(
        [s for s in small_zoo if s.provider != "weather"], embedder=embedder, index=index
    )
    results = narrower.search("weather forecast", k=8)
    assert results
    assert all(c.spec.provider != "weather" for c in results)


def test_duplicate_specs_and_empty_zoo(tmp_path: Path, small_zoo: list[ApiSpec]) -> None:
    embedder = HashEmbedder()
    index = ChromaIndex(embedder, path=tmp_path)
    with pytest.raises(UsageError, match="duplicate"):
        HybridRetriever([small_zoo[0], small_zoo[0]], embedder=embedder, index=index)
    assert HybridRetriever([], embedder=embedder, index=index).search("anything") == []


def test_build_retriever_syncs_when_stale_and_trusts_its_marker_otherwise(
    tmp_path: Path, small_zoo: list[ApiSpec], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path / "cache"))
    embedder = HashEmbedder()
    location = IndexLocation.of(path=tmp_path / "index")
    retriever = build_retriever(small_zoo, embedder, location)
    assert retriever.index.count() == len(small_zoo)
    texts = len(small_zoo) + sum(len(spec.examples) for spec in small_zoo)  # documents and example rows
    assert embedder.calls == texts
    build_retriever(small_zoo, embedder, location)
    assert embedder.calls == texts  # current: nothing embedded again
    changed = [small_zoo[0].model_copy(update={"description": "a changed description"}), *small_zoo[1:]]
    build_retriever(changed, embedder, location)
    assert embedder.calls == texts + 1 + len(small_zoo[0].examples)  # only the changed spec
