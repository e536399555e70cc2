"""The generation seam: a ``ModelBackend`` turns a query and its candidate APIs into calls.

Contract
--------
``generate(query, candidates)`` returns the calls the model wrote, in order: usually one, several for a
parallel/multiple request, and an empty list when the model decides that no candidate fits ("no call").
Every returned ``ApiCall.api_id`` is the id of one of ``candidates`` — a backend never returns an API that
was not offered (constrained decoding where the backend allows it, a check after parsing otherwise);
output that does not parse or names another API raises ``GenerationError`` quoting the text. Server or
runtime failures raise ``BackendError``. ``ApiCall.raw`` holds the model text. Backends are safe to call
from several threads; heavy resources (weights) are loaded once per process and shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from gorilla_router.specs import ApiCall, Candidate

__all__ = ["CallForcing", "ModelBackend", "ReportsUsage", "TokenUsage"]


@runtime_checkable
class ModelBackend(Protocol):
    name: str

    def generate(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]: ...


@runtime_checkable
class CallForcing(Protocol):
    """A backend that can be told the answer must be a call (LangChain's ``tool_choice="any"`` or a name).

    ``generate_call`` follows ``generate``'s contract except that "no call" is not an option: at least
    one call to one of ``candidates`` is returned. A backend whose model cannot be steered that way
    simply does not implement it, and its callers fall back to ``generate``.
    """

    def generate_call(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]: ...


@dataclass(frozen=True)
class TokenUsage:
    """Tokens the model read (the whole prompt, cached head included) and wrote for one answer."""

    input_tokens: int
    output_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@runtime_checkable
class ReportsUsage(Protocol):
    """A backend that counts the tokens of its answers (LangChain's ``usage_metadata``).

    ``last_usage`` is the usage of the latest ``generate``/``generate_call`` *of the calling thread*
    (``None`` before any), so concurrent callers never read each other's counts.
    """

    def last_usage(self) -> TokenUsage | None: ...
