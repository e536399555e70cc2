"""The one operation constrained decoding needs from a language model: pick the likeliest continuation.

Contract
--------
``choose(state, options)`` scores each option as the continuation of ``state`` (its log-likelihood under
the model, forced text pending in ``state`` included) and returns a :class:`Choice`: the best index, every
score, and the state after the chosen option. ``extend(state, text)`` appends text that is forced (the
grammar allows nothing else) *without* a model step: it is carried as pending text and computed together
with the next ``choose``. A single-option ``choose`` is an ``extend``. ``free_text(state, stop, max_tokens)``
writes unconstrained text greedily until the model produces ``stop`` (not included, not committed) — the
baseline the span constraint is measured against. States are immutable values, so a
decoder can explore one branch and fall back to an earlier state.

A decoder written against this protocol never sees tokens, so it can be tested with a scripted chooser
and run against any model: :class:`~gorilla_router.generation.constrained.torch_chooser.TorchChooser`
implements it with a Hugging Face causal LM and a KV cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

__all__ = ["Choice", "Chooser", "StateT", "TextScanner"]

StateT = TypeVar("StateT")


@dataclass(frozen=True)
class Choice(Generic[StateT]):
    """The outcome of one ``choose``: which option won, each option's log-likelihood, the state after it.

    ``lengths`` counts the tokens each score sums over (for per-token averages).
    """

    index: int
    scores: tuple[float, ...]
    state: StateT
    lengths: tuple[int, ...] = ()


class Chooser(Protocol[StateT]):
    def extend(self, state: StateT, text: str) -> StateT: ...

    def choose(self, state: StateT, options: Sequence[str]) -> Choice[StateT]: ...

    def free_text(self, state: StateT, stop: str, max_tokens: int) -> tuple[str, StateT]: ...


class TextScanner(Protocol):
    """Decides, piece by piece, where greedy free text ends (see :meth:`TorchChooser.generate_until`).

    ``feed(piece)`` returns ``None`` to go on, or the part of ``piece`` that still belongs to the text
    (possibly ``""``) when the text is complete. ``allows(piece)`` says whether a token may be written at
    all (a number scanner refuses letters; every scanner refuses a newline inside a JSON value).
    """

    def feed(self, piece: str) -> str | None: ...

    def allows(self, piece: str) -> bool: ...
