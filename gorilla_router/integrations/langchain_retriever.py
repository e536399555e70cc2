"""``GorillaRouterRetriever``: the router's API search as a LangChain ``BaseRetriever``.

It lets a LangChain pipeline (RAG over API docs, an agent choosing its own tools) use the same hybrid
retriever the router uses. Each ``Document`` is one API: ``page_content`` is the spec's description, the
metadata holds the whole spec (JSON-ready) plus the retrieval ``score``, ``rank`` and per-retriever
``scores``; ``Document.id`` is the API id.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from gorilla_router.errors import UsageError
from gorilla_router.integrations._deps import LANGCHAIN_INSTALL, missing
from gorilla_router.retrieval.base import SearchFilters
from gorilla_router.specs import Candidate

try:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise missing(exc, LANGCHAIN_INSTALL, "GorillaRouterRetriever") from exc

__all__ = ["GorillaRouterRetriever", "candidate_to_document"]


def candidate_to_document(candidate: Candidate) -> Document:
    """One retrieved API as a ``Document``: description as content, spec + score + rank as metadata."""
    metadata: dict[str, Any] = candidate.spec.model_dump(mode="json", exclude_none=True)
    metadata.update(score=candidate.score, rank=candidate.rank, scores=dict(candidate.scores))
    return Document(id=candidate.spec.id, page_content=candidate.spec.description, metadata=metadata)


class GorillaRouterRetriever(BaseRetriever):
    """Top-``k`` APIs for a query as ``Document``s, best first.

    ``router`` is a ``GorillaRouter`` (default: ``GorillaRouter()``, built on first use) or any object with
    the ``Retriever`` seam's ``search(query, k, filters)``. ``k`` and ``filters`` can also be given per
    call: ``retriever.invoke("weather in Paris", k=3, filters=SearchFilters(kind="rest"))``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    router: Any = Field(default=None, exclude=True)
    k: int = Field(default=5, ge=1)
    filters: SearchFilters | None = None

    def _searcher(self) -> Any:
        if self.router is None:
            from gorilla_router.router import GorillaRouter

            self.router = GorillaRouter()
        if not callable(getattr(self.router, "search", None)):
            raise UsageError(
                "GorillaRouterRetriever(router=…) needs a GorillaRouter or a retriever with "
                f"search(query, k, filters); got {type(self.router).__name__}"
            )
        return self.router

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: SearchFilters | None = None,
    ) -> list[Document]:
        if k is not None and k < 1:
            raise UsageError(f"k must be at least 1, got {k}")
        candidates = self._searcher().search(query, k=k or self.k, filters=filters or self.filters)
        return [candidate_to_document(candidate) for candidate in candidates]
