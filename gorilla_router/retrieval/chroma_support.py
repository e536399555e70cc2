"""Chroma glue shared by the index: ``SearchFilters`` → ``where`` clauses, and the one place where Chroma's
exceptions (and its HTTP client's) become ``RetrievalError``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gorilla_router.errors import RetrievalError, RouterError
from gorilla_router.retrieval.base import SearchFilters
from gorilla_router.retrieval.documents import tag_key

__all__ = ["chroma_errors", "where_from_filters"]


def where_from_filters(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Translate ``SearchFilters`` into a Chroma ``where`` clause (``None`` when nothing is filtered)."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.kind is not None:
        clauses.append({"kind": {"$eq": filters.kind}})
    if filters.provider is not None:
        clauses.append({"provider": {"$eq": filters.provider}})
    if filters.side_effects:
        clauses.append({"side_effects": {"$in": list(filters.side_effects)}})
    if filters.tags:
        tag_clauses: list[dict[str, Any]] = [{tag_key(tag): {"$eq": True}} for tag in filters.tags]
        clauses.append(tag_clauses[0] if len(tag_clauses) == 1 else {"$or": tag_clauses})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@contextmanager
def chroma_errors(action: str) -> Iterator[None]:
    """The one place where Chroma's (and its HTTP client's) exceptions become ``RetrievalError``."""
    try:
        yield
    except RouterError:
        raise
    except Exception as exc:
        raise RetrievalError(f"Chroma failed to {action}: {type(exc).__name__}: {exc}") from exc
