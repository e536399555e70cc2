"""The same index code against a real ``chroma run`` server on 127.0.0.1 (started by a session fixture)."""

from __future__ import annotations

import pytest

from gorilla_router.errors import IndexMismatchError, RetrievalError
from gorilla_router.retrieval import HashEmbedder, IndexLocation, SearchFilters, build_retriever
from gorilla_router.retrieval.chroma_store import ChromaIndex, spec_hash
from gorilla_router.specs import ApiSpec

pytestmark = pytest.mark.slow


def test_server_sync_query_filters_and_mismatch(
    chroma_server: tuple[str, int], small_zoo: list[ApiSpec]
) -> None:
    host, port = chroma_server
    embedder = HashEmbedder()
    location = IndexLocation.of(host=host, port=port, collection="server_test")
    retriever = build_retriever(small_zoo, embedder, location)
    index = retriever.index
    assert index.location == f"http://{host}:{port}"
    assert index.count() == len(small_zoo)
    assert index.stored_hashes() == {spec.id: spec_hash(spec) for spec in small_zoo}
    top = retriever.search("weather forecast with rain and wind for a city", k=2)
    assert top[0].spec.id == "weather.forecast"
    python_only = retriever.search("weather forecast", k=3, filters=SearchFilters(kind="python"))
    assert len(python_only) == 3
    assert all(c.spec.kind == "python" for c in python_only)

    embedded_so_far = embedder.calls
    fewer = small_zoo[:-2]
    report = ChromaIndex(embedder, host=host, port=port, collection="server_test").sync(fewer)
    assert (report.removed, report.unchanged, report.added) == (2, len(fewer), 0)
    assert embedder.calls == embedded_so_far  # nothing re-embedded

    with pytest.raises(IndexMismatchError, match="index --rebuild"):
        ChromaIndex(HashEmbedder(16), host=host, port=port, collection="server_test")


def test_unreachable_server_is_a_retrieval_error() -> None:
    with pytest.raises(RetrievalError, match="Chroma failed to connect"):
        ChromaIndex(HashEmbedder(), host="127.0.0.1", port=9)
