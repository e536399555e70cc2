"""GorillaRouterRetriever: the router's hybrid search as LangChain Documents, plus the standard suite."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_tests.integration_tests import RetrieversIntegrationTests

from gorilla_router.errors import UsageError
from gorilla_router.integrations import GorillaRouterRetriever, candidate_to_document
from gorilla_router.retrieval import SearchFilters
from gorilla_router.specs import ApiSpec

from .conftest import shared_router

pytestmark = pytest.mark.anyio


def test_documents_carry_the_spec_score_and_rank(router) -> None:
    documents = GorillaRouterRetriever(router=router, k=4).invoke("weather forecast for Berlin")
    assert len(documents) == 4
    assert [d.metadata["rank"] for d in documents] == [1, 2, 3, 4]
    scores = [d.metadata["score"] for d in documents]
    assert scores == sorted(scores, reverse=True)
    for document in documents:
        spec = ApiSpec.model_validate(
            {k: v for k, v in document.metadata.items() if k not in ("score", "rank", "scores")}
        )  # the metadata is the whole spec, round-trippable
        assert document.id == spec.id
        assert document.page_content == spec.description
    assert any("weather" in d.id for d in documents)


def test_k_and_filters_per_call(router) -> None:
    retriever = GorillaRouterRetriever(router=router)
    documents = retriever.invoke("square root", k=2, filters=SearchFilters(kind="python"))
    assert len(documents) == 2
    assert all(d.metadata["kind"] == "python" for d in documents)
    with pytest.raises(UsageError, match="k must be at least 1"):
        retriever.invoke("square root", k=0)


def test_any_retriever_seam_works_as_the_source(router) -> None:
    documents = GorillaRouterRetriever(router=router.retriever, k=1).invoke("square root of a number")
    assert documents[0].id == router.search("square root of a number", k=1)[0].spec.id


def test_a_source_without_search_is_refused() -> None:
    with pytest.raises(UsageError, match=r"search\(query, k, filters\)"):
        GorillaRouterRetriever(router=object()).invoke("anything")


def test_router_as_retriever(router) -> None:
    retriever = router.as_retriever(k=2)
    assert isinstance(retriever, GorillaRouterRetriever)
    assert len(retriever.invoke("convert euros to dollars")) == 2


def test_candidate_to_document_is_json_ready(router) -> None:
    candidate = router.search("current weather in Paris", k=1)[0]
    document = candidate_to_document(candidate)
    assert isinstance(document, Document)
    assert document.metadata["scores"] == candidate.scores
    assert document.metadata["id"] == candidate.spec.id


class TestGorillaRouterRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[GorillaRouterRetriever]:
        return GorillaRouterRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"router": shared_router()}

    @property
    def retriever_query_example(self) -> str:
        return "what is the weather in Paris tomorrow"
