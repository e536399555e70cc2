"""Retrieval seams: an ``Embedder`` turns text into vectors, a ``Retriever`` turns a query into candidates.

Contracts
---------
``Embedder``
    ``name`` identifies the model (recorded in the index so a mismatch is caught); ``dimension`` is the
    vector length; ``embed(texts)`` returns one L2-normalised vector per text, in order, as a float32
    ``numpy`` array of shape ``(len(texts), dimension)``. It must not touch the network in the default
    configuration. It may batch internally; it must accept an empty sequence.
``Retriever``
    ``search(query, k, filters)`` returns at most ``k`` ``Candidate`` objects, best first, ranks 1..n, with
    a score where higher is better. ``filters`` restricts by metadata (``kind``, ``provider``, ``tags``,
    ``side_effects``); an empty result is a valid answer (no API fits), not an error. Errors from the
    underlying store are raised as ``RetrievalError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from gorilla_router.specs import ApiSpec, Candidate, Kind, SideEffects

__all__ = ["Embedder", "Retriever", "SearchFilters"]


class SearchFilters(BaseModel):
    """Metadata restrictions for a search; every field that is set must match (tags: any of them)."""

    kind: Kind | None = None
    provider: str | None = None
    tags: list[str] = Field(default_factory=list)
    side_effects: list[SideEffects] = Field(default_factory=list)

    def matches(self, spec: ApiSpec) -> bool:
        if self.kind is not None and spec.kind != self.kind:
            return False
        if self.provider is not None and spec.provider != self.provider:
            return False
        if self.tags and not set(self.tags) & set(spec.tags):
            return False
        return not (self.side_effects and spec.side_effects not in self.side_effects)


@runtime_checkable
class Embedder(Protocol):
    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@runtime_checkable
class Retriever(Protocol):
    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Candidate]: ...
