"""Retrievers for benchmark runs, chosen by a short name: ``lexical`` (default) or ``hybrid``.

``lexical`` is the in-memory BM25 of :class:`~gorilla_router.evaluation.candidates.LexicalSpecSearch` —
no model, no index, instant. ``hybrid`` is the product's retriever (Chroma dense + BM25, rank-fused) over
the benchmark's specs, in its own collection of an index under the cache folder, so measuring it never
touches the user's API Zoo index. It loads the embedding model once (offline).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation.candidates import LexicalSpecSearch
from gorilla_router.paths import cache_dir
from gorilla_router.retrieval.base import Retriever
from gorilla_router.specs import ApiSpec

__all__ = ["RETRIEVERS", "make_retriever"]

RETRIEVERS = ("lexical", "hybrid")


def make_retriever(name: str, specs: Sequence[ApiSpec], collection: str) -> Retriever:
    """The retriever ``name`` over ``specs``; ``collection`` names its index collection (hybrid only)."""
    if name == "lexical":
        return LexicalSpecSearch(specs)
    if name == "hybrid":
        from gorilla_router.retrieval import (  # lazy: loads the embedding model
            IndexLocation,
            SentenceTransformerEmbedder,
            build_retriever,
        )

        location = IndexLocation.of(path=cache_dir() / "eval-index", collection=collection)
        return build_retriever(specs, SentenceTransformerEmbedder(), location)
    close = difflib.get_close_matches(name, RETRIEVERS, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ConfigError(f"unknown retriever {name!r}; {hint}use one of: {', '.join(RETRIEVERS)}")
