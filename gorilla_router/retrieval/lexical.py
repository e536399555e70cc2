"""BM25 over the same documents as the dense index, with a tokeniser that understands identifiers.

Queries name APIs the way code does (``getForecast``, ``vgg_16``, ``mobilenet-v2``), so tokens are split at
camelCase, snake_case, dots and digits-to-letters boundaries, lower-cased, English stop words dropped, and a
light suffix stemmer folds plurals and ``-ing``/``-ed`` forms (measured: it helps APIBench recall slightly).
``scores`` returns every document's score so filters can be applied *before* the top-k cut.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt

from gorilla_router.errors import MissingDependencyError

__all__ = ["BM25Index", "tokenize"]

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_STOP_WORDS = """
    a an and are as at be but by for from has have how i if in into is it its me my of on or our so
    that the their them then there these they this to us was we what when where which while who will
    with would you your can could should need want like using use help some any also do does
"""
_STOP = frozenset(_STOP_WORDS.split())


def _stem(token: str) -> str:
    if len(token) <= 4:
        return token
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            if suffix == "s" and token.endswith("ss"):
                return token
            return token[: -len(suffix)] + keep
    return token


def tokenize(text: str, stem: bool = True) -> list[str]:
    """Words of ``text`` as BM25 tokens (identifier-aware, stop words removed, optionally stemmed)."""
    tokens = _TOKEN.findall(_CAMEL.sub(" ", text).lower())
    kept = [t for t in tokens if t not in _STOP]
    return [_stem(t) for t in kept] if stem else kept


@contextmanager
def _bm25s_quiet() -> Iterator[None]:
    """Silence bm25s below WARNING while it runs, then restore its level.

    bm25s sets its own logger to DEBUG at import, so once an application configures a root handler every
    index build prints "Building index from tokens". Only bm25s's logger is touched, never global logging.
    """
    logger = logging.getLogger("bm25s")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


class BM25Index:
    """An in-memory BM25 index (``bm25s``) over ``documents``, addressed by position."""

    def __init__(self, documents: Sequence[str], stem: bool = True, k1: float = 1.2, b: float = 0.75) -> None:
        try:
            import bm25s
        except ImportError as exc:
            raise MissingDependencyError("the lexical index needs bm25s: pip install bm25s") from exc
        self.stem = stem
        self.size = len(documents)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if self.size:
            corpus = [tokenize(doc, stem) or ["<empty>"] for doc in documents]
            with _bm25s_quiet():
                self._bm25.index(corpus, show_progress=False)

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every document for ``query`` (zeros when no query word is indexed)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        tokens = [t for t in tokenize(query, self.stem) if t in vocab]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
