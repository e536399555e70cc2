"""Which APIs a benchmark item offers the model: its own functions ("gold"), or a retriever's top-k.

``gold_candidates`` is BFCL's setting (the question comes with its functions). ``retrieved_candidates``
searches a pool of specs instead — the OpenFunctions "retrieve" mode searches all 112 functions. Any
``Retriever`` of :mod:`gorilla_router.retrieval` can be passed; ``LexicalSpecSearch`` is the built-in
in-memory BM25 over the specs' retrieval text, for when no index is wanted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gorilla_router.evaluation.bfcl import BfclItem
from gorilla_router.retrieval.base import Retriever, SearchFilters
from gorilla_router.retrieval.documents import document_text
from gorilla_router.retrieval.lexical import BM25Index
from gorilla_router.specs import ApiSpec, Candidate

__all__ = ["CandidatesFn", "LexicalSpecSearch", "gold_candidates", "retrieved_candidates", "unique_specs"]

CandidatesFn = Callable[[BfclItem], list[Candidate]]


def gold_candidates(item: BfclItem) -> list[Candidate]:
    """The item's own functions, in the order given, as rank-ordered candidates."""
    return [Candidate(spec=spec, score=1.0, rank=rank) for rank, spec in enumerate(item.specs(), start=1)]


def unique_specs(items: Sequence[BfclItem]) -> list[ApiSpec]:
    """Every function of ``items`` once (the first doc wins for a repeated id): the retrieval pool."""
    seen: dict[str, ApiSpec] = {}
    for item in items:
        for spec in item.specs():
            seen.setdefault(spec.id, spec)
    return list(seen.values())


class LexicalSpecSearch:
    """BM25 over a fixed list of specs; a ``Retriever`` that needs no embedding model and no index."""

    def __init__(self, specs: Sequence[ApiSpec]) -> None:
        self.specs = list(specs)
        self._index = BM25Index([document_text(spec) for spec in self.specs])

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Candidate]:
        scores = self._index.scores(query)
        order = sorted(range(len(self.specs)), key=lambda i: (-float(scores[i]), i))
        kept = [i for i in order if filters is None or filters.matches(self.specs[i])][:k]
        return [
            Candidate(spec=self.specs[i], score=float(scores[i]), rank=r, scores={"bm25": float(scores[i])})
            for r, i in enumerate(kept, start=1)
        ]


def retrieved_candidates(retriever: Retriever, k: int = 3) -> CandidatesFn:
    """Candidates from ``retriever.search(question, k)`` instead of the item's own functions."""

    def candidates(item: BfclItem) -> list[Candidate]:
        return retriever.search(item.question, k=k)

    return candidates
