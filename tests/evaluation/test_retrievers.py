"""Benchmark retrievers by name: the in-memory BM25 and (slow) the product's hybrid Chroma retriever."""

from __future__ import annotations

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation import make_retriever, unique_specs


def test_lexical_retriever_ranks_the_fitting_function_first(bfcl_items):
    specs = unique_specs(list(bfcl_items.values()))
    hits = make_retriever("lexical", specs, "unused").search("area of a triangle with base 3", k=2)
    assert [h.rank for h in hits] == [1, 2]
    assert hits[0].spec.id == "calculate_triangle_area"


def test_unknown_retriever_suggests_the_closest_name():
    with pytest.raises(ConfigError, match="did you mean 'hybrid'"):
        make_retriever("hybird", [], "unused")


@pytest.mark.slow
def test_hybrid_retriever_over_benchmark_specs(bfcl_items, tmp_path, monkeypatch):
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(tmp_path))
    specs = unique_specs(list(bfcl_items.values()))
    retriever = make_retriever("hybrid", specs, "eval_fixture")
    hits = retriever.search("what is the current price of the AAPL ticker", k=3)
    assert hits[0].spec.id == "stock.price"
    assert (tmp_path / "eval-index").is_dir()  # its own index under the cache, not the user's zoo index
