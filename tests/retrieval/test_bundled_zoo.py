"""Retrieval quality on the project's own API Zoo with the real MiniLM model: every example query must put
its own entry in the top 5 (the zoo's examples are the retrieval contract of each entry)."""

from __future__ import annotations

import pytest

from gorilla_router.retrieval import ChromaIndex, HybridRetriever, SentenceTransformerEmbedder
from gorilla_router.zoo.registry import ApiZoo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zoo() -> ApiZoo:
    loaded = ApiZoo.bundled()
    if len(loaded) < 10:
        pytest.skip(f"the bundled apizoo/ has only {len(loaded)} entries (need 10)")
    return loaded


@pytest.fixture(scope="module")
def zoo_retriever(
    zoo: ApiZoo, minilm: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> HybridRetriever:
    """Documents only (``examples=False``): with example rows indexed, an example query would find its own
    row verbatim and the test would prove nothing about the documents."""
    index = ChromaIndex(minilm, path=tmp_path_factory.mktemp("zoo-index"), examples=False)
    retriever = HybridRetriever(zoo.specs, embedder=minilm, index=index)
    retriever.sync()
    return retriever


def test_every_example_query_finds_its_entry_in_the_top_5(
    zoo: ApiZoo, zoo_retriever: HybridRetriever
) -> None:
    pairs = [(spec.id, example.query) for spec in zoo.specs for example in spec.examples]
    results = zoo_retriever.search_batch([query for _, query in pairs], k=5)
    total = len(pairs)
    misses = []
    for (api_id, query), candidates in zip(pairs, results, strict=True):
        found = [c.spec.id for c in candidates]
        if api_id not in found:
            misses.append(f"{api_id}: {query!r} -> {found}")
    assert total > 0
    assert not misses, f"{len(misses)}/{total} example queries miss their entry:\n" + "\n".join(misses)


def test_paraphrased_requests_find_the_right_api(zoo_retriever: HybridRetriever) -> None:
    ids = {spec.id for spec in zoo_retriever.specs}
    expectations = {
        "what's the weather going to be like in Berlin tomorrow": "openmeteo.forecast",
        "compute the square root of 3342398": "math.sqrt",
    }
    for query, expected in expectations.items():
        if expected not in ids:
            continue
        assert expected in [c.spec.id for c in zoo_retriever.search(query, k=5)], query
