"""Build the router's default parts from a ``RouterConfig``: zoo, retriever and index, backend, executor.

Kept apart from ``router.py`` so the router only composes, and so each heavy dependency (torch, chromadb,
requests) is imported only when the part that needs it is first used.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorilla_router.config import RouterConfig
from gorilla_router.errors import ConfigError, SpecError
from gorilla_router.paths import cache_dir
from gorilla_router.specs import ApiCall, ApiSpec
from gorilla_router.zoo import ApiZoo

if TYPE_CHECKING:
    from gorilla_router.execution.base import Executor
    from gorilla_router.execution.policy import Policy
    from gorilla_router.generation.base import ModelBackend
    from gorilla_router.retrieval.base import Embedder, Retriever

__all__ = [
    "ConfirmCallback",
    "IndexStatus",
    "ProgressCallback",
    "build_backend",
    "build_embedder",
    "build_executor",
    "build_policy",
    "build_retriever",
    "config_restrictions",
    "index_status",
    "load_zoo",
]

logger = logging.getLogger("gorilla_router.router")

ConfirmCallback = Callable[[ApiCall, ApiSpec, str], bool]
"""Asked before a call the guard would ``ask`` about: ``(call, spec, reason) -> True`` to run it."""
ProgressCallback = Callable[[int, int], None]
"""Indexing progress: ``(done, total)`` specs embedded so far."""


def load_zoo(zoo: ApiZoo | Iterable[ApiSpec] | str | Path | None, config: RouterConfig) -> ApiZoo:
    """An ``ApiZoo`` from an argument (zoo, specs, a path), the configured paths, or the bundled zoo."""
    if isinstance(zoo, ApiZoo):
        return zoo
    if isinstance(zoo, (str, Path)):
        return ApiZoo.load(zoo)
    if zoo is not None:
        return ApiZoo(zoo)
    if config.zoo:
        return ApiZoo.load(*config.zoo)
    loaded = ApiZoo.bundled()
    if len(loaded) == 0:
        raise SpecError("the bundled API Zoo is empty; set GORILLA_ROUTER_ZOO to a folder of entries")
    return loaded


def build_embedder(config: RouterConfig) -> Embedder:
    """The configured embedder: the packaged MiniLM by default, ``hash`` for the fast fake, or a folder."""
    from gorilla_router.retrieval import HashEmbedder, SentenceTransformerEmbedder

    if config.embedder == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(config.embedder or None)


def chroma_location(config: RouterConfig) -> str:
    """Human-readable place of the index: ``server host:port`` or ``embedded <folder>``."""
    if config.chroma_host:
        return f"server {config.chroma_host}:{config.chroma_port or 8000}"
    return f"embedded {config.chroma_path or cache_dir() / 'index'}"


def _open_index(config: RouterConfig, embedder: Embedder) -> Any:
    from gorilla_router.retrieval import ChromaIndex

    if config.chroma_port and not config.chroma_host:
        raise ConfigError("GORILLA_ROUTER_CHROMA_PORT is set without GORILLA_ROUTER_CHROMA_HOST; set both")
    if config.chroma_host:
        return ChromaIndex(
            embedder, host=config.chroma_host, port=config.chroma_port or 8000, collection=config.collection
        )
    return ChromaIndex(
        embedder, path=config.chroma_path or cache_dir() / "index", collection=config.collection
    )


def _marker_file(config: RouterConfig, embedder: Embedder) -> Path:
    """Where the last synced zoo fingerprint is kept: one file per (index location, collection, model)."""
    key = f"{chroma_location(config)}|{config.collection}|{embedder.name}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "index_state" / f"{digest}.fingerprint"


def _index_fingerprint(zoo: ApiZoo) -> str:
    """The zoo's fingerprint plus the retrieval document format, so a format change re-syncs the index."""
    from gorilla_router.retrieval.chroma_store import DOCUMENT_VERSION

    return f"{zoo.fingerprint()}:documents-v{DOCUMENT_VERSION}"


def build_retriever(
    config: RouterConfig,
    zoo: ApiZoo,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Retriever, dict[str, float]]:
    """Open the index, sync it only if the zoo's fingerprint changed, and wrap it in the hybrid retriever.

    Returns the retriever and timings (``index_sync`` seconds, 0 when the index was already current).
    """
    from gorilla_router.retrieval import HybridRetriever

    embedder = embedder or build_embedder(config)
    index = _open_index(config, embedder)
    marker = _marker_file(config, embedder)
    fingerprint = _index_fingerprint(zoo)
    started = time.perf_counter()
    current = marker.is_file() and marker.read_text(encoding="utf-8").strip() == fingerprint
    if not current or index.count() != len(zoo):
        report = index.sync(zoo.specs, progress=progress)
        logger.info("index synced (%s): %s", chroma_location(config), report)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(fingerprint, encoding="utf-8")
    timings = {"index_sync": time.perf_counter() - started}
    return HybridRetriever(zoo.specs, embedder=embedder, index=index), timings


def index_status(config: RouterConfig, zoo: ApiZoo, embedder: Embedder | None = None) -> IndexStatus:
    """For ``doctor``: where the index is, how many entries it holds, whether it matches the zoo."""
    embedder = embedder or build_embedder(config)
    index = _open_index(config, embedder)
    marker = _marker_file(config, embedder)
    synced = marker.is_file() and marker.read_text(encoding="utf-8").strip() == _index_fingerprint(zoo)
    return IndexStatus(chroma_location(config), int(index.count()), len(zoo), synced, embedder.name)


class IndexStatus:
    """Where the index lives, its count vs the zoo's, and whether the zoo matches the last sync."""

    def __init__(self, location: str, count: int, zoo_count: int, synced: bool, embedder: str) -> None:
        self.location = location
        self.count = count
        self.zoo_count = zoo_count
        self.synced = synced
        self.embedder = embedder

    @property
    def current(self) -> bool:
        return self.synced and self.count == self.zoo_count


def build_backend(config: RouterConfig) -> ModelBackend:
    from gorilla_router.generation.registry import load_backend

    return load_backend(config.backend)


def build_policy(config: RouterConfig) -> Policy:
    """The guard's policy from the config's ``allow``, ``deny``, ``only`` and ``dry_run``."""
    from gorilla_router.execution import Policy

    return Policy(
        allow=tuple(config.allow), deny=tuple(config.deny), only=tuple(config.only), dry_run=config.dry_run
    )


def config_restrictions(config: RouterConfig) -> Policy:
    """The config's limits alone — ``deny``, ``only``, ``dry_run`` — for when a ``policy=`` is passed too.

    It allows everything else (``allow=("*",)``), so next to the explicit policy in the guard (strictest
    wins) it can only deny more or turn on dry-run: a setting in the config that keeps a call from going
    out is never dropped because a program passed its own policy. The config's ``allow`` is not kept:
    what runs without asking is the explicit policy's to say.
    """
    from gorilla_router.execution import Policy

    return Policy(allow=("*",), deny=tuple(config.deny), only=tuple(config.only), dry_run=config.dry_run)


def build_executor(
    config: RouterConfig,
    policy: Policy | None,
    confirm: ConfirmCallback | None,
    rest: Executor | None = None,
    python: Executor | None = None,
) -> Executor:
    """audit → guard (validate, policy, dry-run, confirm) → REST / Python, from the configuration.

    The guard gets ``policy`` (else the config's) plus, when ``policy`` is given, the config's limits
    (``config_restrictions``); ``confirm`` is asked for ``ask`` verdicts, and ``assume_yes`` answers yes
    when there is no callback. ``rest`` / ``python`` replace the dispatching executors (by default the
    REST executor with the configured base-url overrides and private allow-list, and the sandboxed Python
    executor); the guard stays.
    """
    from gorilla_router import execution

    if rest is None:
        rest = execution.RestExecutor(
            allow_private=list(config.allow_private), base_url_overrides=dict(config.base_url_overrides)
        )
    if python is None:
        python = execution.PythonExecutor()
    restrictions = () if policy is None else (config_restrictions(config),)
    return execution.build_executor(
        policy=policy if policy is not None else build_policy(config),
        confirm=confirm,
        audit_log=config.audit_log,
        rest=rest,
        python=python,
        assume_yes=config.assume_yes,
        restrictions=restrictions,
    )
