"""The scorer seam: token log-likelihoods from a language model, which Toolformer's filter and positions need.

Two questions are asked of a model, both answerable in a few batched forward passes:

* ``continuation_logprobs`` — how likely is each token of ``continuation`` after ``prefix``? The loss
  filter compares the text that follows a call with and without the call's result in front of it.
* ``marker_logprobs`` — at each token boundary of ``text`` (after ``prefix``), how likely is the model to
  open a call (``marker``, e.g. ``" ["``) next? Toolformer samples call positions from this.

The real implementation is :class:`gorilla_router.inline.hf_scorer.HfScorer` (torch, loaded lazily);
:class:`CopyScorer` is a deterministic fake with the one property the filter relies on, for fast tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

__all__ = ["CopyScorer", "Scorer"]


@runtime_checkable
class Scorer(Protocol):
    def continuation_logprobs(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        """For each ``(prefix, continuation)``, the natural-log probability of each continuation token."""
        ...

    def marker_logprobs(self, prefix: str, text: str, marker: str) -> list[tuple[int, float]]:
        """``(offset, log P(marker next))`` at every token boundary ``offset`` of ``text`` (0 < offset)."""
        ...


_WORD = re.compile(r"\S+")
_RESULT = re.compile(r"→\s*([^\]]*)\]")
_NUMBER = re.compile(r"[0-9]")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?](?=\S)[^.!?]*)*[.!?]*")


class CopyScorer:
    """A fake model that only knows how to copy: a word is likely iff a call result in the prefix holds it.

    Tokens are whitespace-separated words. A continuation word found in the last ``→ result`` of the prefix
    gets log-probability ``-0.1``; every other word ``-4.0``. So a result that the following text repeats
    lowers the loss, and an irrelevant result changes nothing — the behaviour the filter must detect.
    Call positions are likely (``-1.0``) before the last word holding a digit in each sentence (where a
    computed answer usually stands), unlikely (``-6.0``) elsewhere.
    ``pairs_scored`` counts the pairs scored, so tests can check batching and that nothing is scored twice.
    """

    def __init__(self) -> None:
        self.pairs_scored = 0

    def continuation_logprobs(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        self.pairs_scored += len(pairs)
        scored = []
        for prefix, continuation in pairs:
            results = _RESULT.findall(prefix)
            known = set(_words(results[-1])) if results else set()
            scored.append([-0.1 if word in known else -4.0 for word in _words(continuation)])
        return scored

    def marker_logprobs(self, prefix: str, text: str, marker: str) -> list[tuple[int, float]]:
        del prefix, marker
        words = [m for m in _WORD.finditer(text) if m.start() > 0]
        likely = set()
        for sentence in _SENTENCE.finditer(text):
            numbers = [
                m.start()
                for m in words
                if sentence.start() <= m.start() < sentence.end() and _NUMBER.search(m.group(0))
            ]
            if numbers:
                likely.add(numbers[-1])
        return [(m.start(), -1.0 if m.start() in likely else -6.0) for m in words]


def _words(text: str) -> list[str]:
    return [word.strip(".,;:!?") for word in _WORD.findall(text)]
