"""Where the index lives, opening it, and whether it is fresh — decided here, for every caller.

The router, ``gorilla-router index`` / ``search`` / ``doctor`` and the evaluation all open the index
through ``IndexLocation`` and bring it up to date through ``sync_index``, so they leave it in the same
state and agree on whether it is current.

Freshness has one mechanism in two steps. ``ChromaIndex.sync`` compares a content hash per spec and
embeds only what changed — exact, but it reads every stored hash. After each sync a *marker* file records
the fingerprint of the specs it synced (per index location, collection and embedding model); when the
marker matches and the count agrees, the sync is skipped, which keeps a router's start-up at a file read.
``gorilla-router index`` always syncs (it is the explicit command) and writes the same marker.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gorilla_router.errors import ConfigError
from gorilla_router.paths import cache_dir
from gorilla_router.retrieval import chroma_store
from gorilla_router.retrieval.base import Embedder
from gorilla_router.retrieval.chroma_store import ChromaIndex, Progress, SyncReport
from gorilla_router.retrieval.hybrid import HybridRetriever
from gorilla_router.specs import ApiSpec, specs_fingerprint

__all__ = [
    "DEFAULT_COLLECTION",
    "DEFAULT_PORT",
    "IndexLocation",
    "IndexStatus",
    "build_retriever",
    "index_status",
    "sync_if_stale",
    "sync_index",
]

logger = logging.getLogger("gorilla_router.retrieval")

DEFAULT_PORT = 8000
DEFAULT_COLLECTION = "apizoo"


@dataclass(frozen=True)
class IndexLocation:
    """An embedded index folder, or a Chroma server ``host:port``; and the collection name.

    Build it with ``IndexLocation.of`` so the defaults (the cache folder, port 8000) and the checks are
    applied in one place.
    """

    path: Path | None = None
    host: str | None = None
    port: int | None = None
    collection: str = DEFAULT_COLLECTION

    @classmethod
    def of(
        cls,
        *,
        path: Path | str | None = None,
        host: str | None = None,
        port: int | None = None,
        collection: str = DEFAULT_COLLECTION,
    ) -> IndexLocation:
        """A server when ``host`` is given (port defaults to 8000), else a folder (default: the cache)."""
        if port and not host:
            raise ConfigError(
                "GORILLA_ROUTER_CHROMA_PORT is set without GORILLA_ROUTER_CHROMA_HOST; set both"
            )
        if host:
            return cls(host=host, port=port or DEFAULT_PORT, collection=collection)
        return cls(path=Path(path) if path else cache_dir() / "index", collection=collection)

    def describe(self) -> str:
        """Human-readable: ``server host:port`` or ``embedded <folder>``."""
        return f"server {self.host}:{self.port}" if self.host else f"embedded {self.path}"

    def open(self, embedder: Embedder, *, rebuild: bool = False) -> ChromaIndex:
        """Connect (creating the folder or collection if needed); ``rebuild`` drops the collection first."""
        return ChromaIndex(
            embedder,
            path=None if self.host else self.path,
            host=self.host,
            port=self.port if self.host else None,
            collection=self.collection,
            rebuild=rebuild,
        )

    def marker_file(self, embedder: Embedder) -> Path:
        """Where the fingerprint of the last sync is kept: one file per (location, collection, model)."""
        key = f"{self.describe()}|{self.collection}|{embedder.name}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        return cache_dir() / "index_state" / f"{digest}.fingerprint"


def _fingerprint(specs: Sequence[ApiSpec]) -> str:
    """The specs' fingerprint plus the document format, so a format change re-syncs the index."""
    return f"{specs_fingerprint(specs)}:documents-v{chroma_store.DOCUMENT_VERSION}"  # read when called


def _marker_matches(location: IndexLocation, embedder: Embedder, specs: Sequence[ApiSpec]) -> bool:
    """True when the last sync at ``location`` with ``embedder`` was of exactly these specs."""
    marker = location.marker_file(embedder)
    return marker.is_file() and marker.read_text(encoding="utf-8").strip() == _fingerprint(specs)


def sync_if_stale(
    location: IndexLocation, index: ChromaIndex, specs: Sequence[ApiSpec], progress: Progress | None = None
) -> SyncReport | None:
    """``sync_index`` unless the marker says the index already holds ``specs``; ``None`` when skipped."""
    if _marker_matches(location, index.embedder, specs) and index.count() == len(specs):
        return None
    return sync_index(location, index, specs, progress)


def sync_index(
    location: IndexLocation, index: ChromaIndex, specs: Sequence[ApiSpec], progress: Progress | None = None
) -> SyncReport:
    """Make ``index`` hold exactly ``specs`` (per-spec content hashes), then mark it fresh for them."""
    report = index.sync(specs, progress=progress)
    logger.info("index synced (%s): %s", location.describe(), report)
    marker = location.marker_file(index.embedder)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(_fingerprint(specs), encoding="utf-8")
    return report


def build_retriever(
    specs: Sequence[ApiSpec],
    embedder: Embedder,
    location: IndexLocation | None = None,
    *,
    progress: Progress | None = None,
) -> HybridRetriever:
    """Open the index at ``location`` (default: the cache folder), sync it if stale, return the retriever."""
    location = location or IndexLocation.of()
    index = location.open(embedder)
    sync_if_stale(location, index, specs, progress)
    return HybridRetriever(specs, embedder=embedder, index=index)


@dataclass(frozen=True)
class IndexStatus:
    """Where the index lives, its count vs the zoo's, and whether the zoo matches the last sync."""

    location: str
    count: int
    zoo_count: int
    synced: bool
    embedder: str

    @property
    def current(self) -> bool:
        return self.synced and self.count == self.zoo_count


def index_status(location: IndexLocation, specs: Sequence[ApiSpec], embedder: Embedder) -> IndexStatus:
    """For ``doctor``: open the index (no sync) and report whether it matches ``specs``."""
    count = location.open(embedder).count()
    synced = _marker_matches(location, embedder, specs)
    return IndexStatus(location.describe(), count, len(specs), synced, embedder.name)
