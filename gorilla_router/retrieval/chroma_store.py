"""The dense index: API Zoo vectors in Chroma, embedded (``PersistentClient``) or a server (``HttpClient``).

Both modes share one code path; only the client differs. The project always supplies the vectors
(``embedding_function=None``): Chroma's default embedding function would download a model at run time.
The collection's metadata records the embedder's name and dimension, so opening an index with another model
is refused with the fix instead of silently mixing vector spaces. ``sync`` is incremental and idempotent:
every row carries its spec's content hash, writes are upserts keyed by spec id, so a sync killed half-way
is repaired by the next one (no duplicates, no orphans, count equals the zoo).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from gorilla_router.errors import IndexMismatchError, UsageError
from gorilla_router.paths import cache_dir
from gorilla_router.retrieval.base import Embedder
from gorilla_router.retrieval.chroma_support import chroma_errors as _chroma_errors
from gorilla_router.retrieval.chroma_support import where_from_filters
from gorilla_router.retrieval.documents import document_metadata, document_text
from gorilla_router.specs import ApiSpec

__all__ = ["DEFAULT_HNSW", "DOCUMENT_VERSION", "ChromaIndex", "SyncReport", "spec_hash", "where_from_filters"]

DOCUMENT_VERSION = "1"
"""Bumped when ``document_text`` changes, so every spec is re-embedded once."""

DEFAULT_HNSW: dict[str, Any] = {
    "space": "cosine",
    "ef_construction": 200,
    "ef_search": 128,
    "max_neighbors": 32,
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed; ``seconds`` is its wall time."""

    added: int
    updated: int
    removed: int
    unchanged: int
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def spec_hash(spec: ApiSpec) -> str:
    """The content hash stored with a spec's vector: the spec's own hash and the text that was embedded.

    Hashing the embedded text too means a change to how documents are written re-embeds the affected
    specs even when nobody remembered to bump ``DOCUMENT_VERSION``.
    """
    text = hashlib.sha256(document_text(spec).encode("utf-8")).hexdigest()[:16]
    return f"{DOCUMENT_VERSION}:{spec.content_hash()}:{text}"


class ChromaIndex:
    """API Zoo vectors in a Chroma collection; a server when ``host``/``port`` are given, else embedded.

    ``path`` defaults to ``cache_dir()/"index"``. ``hnsw`` overrides ``DEFAULT_HNSW`` (used only when the
    collection is created). ``rebuild=True`` drops the collection first, whatever model built it.
    ``write_batch`` is how many specs are embedded and written at once (capped by Chroma's batch limit).

    Each spec's example queries are also embedded, one row each, in a companion collection
    (``<collection>__examples``); a query scores a spec by its best row, document or example. Requests are
    phrased like examples, not like descriptions, so this lifts recall (measured on APIBench TorchHub with
    its train questions as examples). ``examples=False`` indexes the documents only.
    """

    def __init__(
        self,
        embedder: Embedder,
        path: Path | None = None,
        host: str | None = None,
        port: int | None = None,
        collection: str = "apizoo",
        hnsw: dict[str, Any] | None = None,
        rebuild: bool = False,
        write_batch: int = 1024,
        examples: bool = True,
    ) -> None:
        if path is not None and (host is not None or port is not None):
            raise UsageError("give either a local index path or a Chroma server host/port, not both")
        if write_batch < 1:
            raise UsageError(f"write_batch must be >= 1, got {write_batch}")
        self.embedder = embedder
        self.write_batch = write_batch
        self.use_examples = examples
        self.collection_name = collection
        self.hnsw = {**DEFAULT_HNSW, **(hnsw or {})}
        if host is not None or port is not None:
            self.location = f"http://{host or 'localhost'}:{port or 8000}"
        else:
            self.location = str(path or cache_dir() / "index")
        self._client = self._connect(path, host, port)
        if rebuild:
            self._drop()
        self._collection = self._open(self.collection_name)
        self._examples = self._open(self.examples_name) if examples else None

    @property
    def examples_name(self) -> str:
        return f"{self.collection_name}__examples"

    def _connect(self, path: Path | None, host: str | None, port: int | None) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        with _chroma_errors(f"connect to {self.location}"):
            if host is not None or port is not None:
                return chromadb.HttpClient(host=host or "localhost", port=port or 8000, settings=settings)
            folder = Path(self.location)
            folder.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(folder), settings=settings)

    def _open(self, name: str) -> Any:
        wanted = {"embedder": self.embedder.name, "dimension": int(self.embedder.dimension)}
        with _chroma_errors(f"open collection {name!r}"):
            collection = self._client.get_or_create_collection(
                name,
                embedding_function=None,
                configuration={"hnsw": dict(self.hnsw)},
                metadata=wanted,
            )
        recorded = dict(collection.metadata or {})
        if recorded.get("embedder") != wanted["embedder"] or recorded.get("dimension") != wanted["dimension"]:
            raise IndexMismatchError(
                f"the index at {self.location} (collection {name!r}) was built with "
                f"{recorded.get('embedder')!r} (dimension {recorded.get('dimension')}), but the configured "
                f"embedder is {wanted['embedder']!r} (dimension {wanted['dimension']}); rebuild it with "
                "`gorilla-router index --rebuild` or configure the original model"
            )
        return collection

    def _drop(self) -> None:
        with _chroma_errors(f"delete collection {self.collection_name!r}"):
            existing = {c.name for c in self._client.list_collections()}
            for name in (self.collection_name, self.examples_name):
                if name in existing:
                    self._client.delete_collection(name)

    def rebuild(self) -> None:
        """Drop the collection and create an empty one for this embedder (``rebuild=True`` at construction
        does the same before the model check, which is how an index built by another model is replaced)."""
        self._drop()
        self._collection = self._open(self.collection_name)
        self._examples = self._open(self.examples_name) if self.use_examples else None

    @property
    def max_batch_size(self) -> int:
        with _chroma_errors("read the maximum batch size"):
            return int(self._client.get_max_batch_size())

    def count(self) -> int:
        with _chroma_errors("count the index"):
            return int(self._collection.count())

    def stored_hashes(self) -> dict[str, str]:
        """Every stored spec id with its content hash, read in pages below the batch limit."""
        hashes: dict[str, str] = {}
        for ids, metadatas in self._pages(self._collection, ["metadatas"]):
            for api_id, metadata in zip(ids, metadatas, strict=True):
                hashes[api_id] = str((metadata or {}).get("content_hash", ""))
        return hashes

    def _example_owners(self) -> set[str]:
        """Spec ids that own at least one stored example row (row ids are ``<spec id>#<n>``)."""
        if self._examples is None:
            return set()
        return {row.rsplit("#", 1)[0] for ids, _ in self._pages(self._examples, []) for row in ids}

    def _pages(self, collection: Any, include: list[str]) -> Iterator[tuple[list[str], list[Any]]]:
        page = self.max_batch_size
        offset = 0
        with _chroma_errors(f"read {collection.name!r}"):
            while True:
                got = collection.get(include=include, limit=page, offset=offset)
                ids = list(got["ids"])
                yield ids, list(got.get("metadatas") or [None] * len(ids))
                if len(ids) < page:
                    return
                offset += page

    def sync(self, specs: Iterable[ApiSpec], progress: Progress | None = None) -> SyncReport:
        """Make the index hold exactly ``specs``: embed new/changed ones, delete removed ones."""
        started = time.perf_counter()
        wanted: dict[str, tuple[ApiSpec, str]] = {}
        for spec in specs:
            if spec.id in wanted:
                raise UsageError(f"duplicate API id {spec.id!r}: ids must be unique in the zoo")
            wanted[spec.id] = (spec, spec_hash(spec))
        stored = self.stored_hashes()
        removed = [api_id for api_id in stored if api_id not in wanted]
        pending = [(s, h) for api_id, (s, h) in wanted.items() if stored.get(api_id) != h]
        added = sum(1 for s, _ in pending if s.id not in stored)
        batch = min(self.max_batch_size, self.write_batch)
        stale_examples = sorted(owner for owner in self._example_owners() if owner not in wanted)
        with _chroma_errors("delete removed specs"):
            for start in range(0, len(removed), batch):
                self._collection.delete(ids=removed[start : start + batch])
            self._delete_examples(stale_examples)
        if progress is not None:
            progress(0, len(pending))
        for start in range(0, len(pending), batch):
            chunk = pending[start : start + batch]
            self._write(chunk)
            if progress is not None:
                progress(start + len(chunk), len(pending))
        return SyncReport(
            added=added,
            updated=len(pending) - added,
            removed=len(removed),
            unchanged=len(wanted) - len(pending),
            seconds=time.perf_counter() - started,
        )

    def _delete_examples(self, spec_ids: Sequence[str]) -> None:
        if self._examples is None or not spec_ids:
            return
        for start in range(0, len(spec_ids), 100):
            self._examples.delete(where={"spec_id": {"$in": list(spec_ids[start : start + 100])}})

    def _write(self, chunk: Sequence[tuple[ApiSpec, str]]) -> None:
        """Write a chunk: its old example rows go, new ones come, and the spec row (with the hash) lands
        last — a sync killed in between leaves the spec 'changed', so the next sync redoes it."""
        documents = [document_text(spec) for spec, _ in chunk]
        examples = [(spec, h, n, ex.query) for spec, h in chunk for n, ex in enumerate(spec.examples)]
        if self._examples is None:
            examples = []
        vectors = self.embedder.embed(documents + [query for *_, query in examples])
        with _chroma_errors(f"write {len(chunk)} specs"):
            if self._examples is not None:
                self._delete_examples([spec.id for spec, _ in chunk])
                for start in range(0, len(examples), self.max_batch_size):
                    part = examples[start : start + self.max_batch_size]
                    first = len(documents) + start
                    self._examples.upsert(
                        ids=[f"{spec.id}#{n}" for spec, _, n, _ in part],
                        embeddings=vectors[first : first + len(part)],
                        documents=[query for *_, query in part],
                        metadatas=[
                            {**document_metadata(spec, h), "spec_id": spec.id} for spec, h, _, _ in part
                        ],
                    )
            self._collection.upsert(
                ids=[spec.id for spec, _ in chunk],
                embeddings=vectors[: len(documents)],
                documents=documents,
                metadatas=[document_metadata(spec, content_hash) for spec, content_hash in chunk],
            )

    def add_vectors(
        self, ids: Sequence[str], vectors: npt.NDArray[np.float32], metadatas: Sequence[dict[str, Any]]
    ) -> None:
        """Write precomputed vectors (benchmarks and bulk loaders); batched below Chroma's limit."""
        batch = self.max_batch_size
        with _chroma_errors(f"write {len(ids)} vectors"):
            for start in range(0, len(ids), batch):
                end = start + batch
                self._collection.upsert(
                    ids=list(ids[start:end]),
                    embeddings=vectors[start:end],
                    metadatas=list(metadatas[start:end]),
                )

    def query(
        self, vector: npt.NDArray[np.float32], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest spec ids to ``vector`` with cosine similarity (higher is better), best first.

        A spec's score is its best row: its document or one of its example queries."""
        if k < 1:
            raise UsageError(f"k must be >= 1, got {k}")
        hits: dict[str, float] = {}
        for collection, fetch in ((self._collection, k), (self._examples, 3 * k)):
            if collection is None:
                continue
            for row, score in self._nearest(collection, vector, fetch, where):
                api_id = row.rsplit("#", 1)[0] if collection is self._examples else row
                hits[api_id] = max(score, hits.get(api_id, -2.0))
        return sorted(hits.items(), key=lambda item: -item[1])[:k]

    @staticmethod
    def _nearest(
        collection: Any, vector: npt.NDArray[np.float32], k: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        with _chroma_errors("query the index"):  # Chroma returns fewer rows when it holds fewer than k
            result = collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)],
                n_results=k,
                where=where,
                include=["distances"],
            )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(row, 1.0 - float(distance)) for row, distance in zip(ids, distances, strict=True)]
