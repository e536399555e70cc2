"""Build the router's default parts from a ``RouterConfig``: zoo, embedder, index location, backend, executor.

Kept apart from ``router.py`` so the router only composes, and so each heavy dependency (torch, chromadb,
requests) is imported only when the part that needs it is first used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gorilla_router.config import RouterConfig
from gorilla_router.errors import SpecError
from gorilla_router.specs import ApiCall, ApiSpec
from gorilla_router.zoo import ApiZoo

if TYPE_CHECKING:
    from gorilla_router.execution.base import Executor
    from gorilla_router.execution.policy import Policy
    from gorilla_router.generation.base import ModelBackend
    from gorilla_router.retrieval import IndexLocation
    from gorilla_router.retrieval.base import Embedder

__all__ = [
    "ConfirmCallback",
    "ProgressCallback",
    "build_backend",
    "build_embedder",
    "build_policy",
    "config_restrictions",
    "configured_executor",
    "index_location",
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


def index_location(config: RouterConfig) -> IndexLocation:
    """Where the configured index lives (the defaults and checks are retrieval's: ``IndexLocation.of``)."""
    from gorilla_router.retrieval import IndexLocation

    return IndexLocation.of(
        path=config.chroma_path,
        host=config.chroma_host,
        port=config.chroma_port,
        collection=config.collection,
    )


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


def configured_executor(
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
