"""Execute the inline calls written in a text and splice their results back: ``[inc(1)]`` → ``[inc(1) → 2]``.

Every span goes through the same path as ``router.execute``: the project's ``ast``-only call parser, the
zoo (names resolved by :mod:`.resolve`), and the router's executor stack — validate → guard → dry-run →
dispatch — so a ``write`` API written in text asks the same confirmation ``run`` would, a destructive one
is denied the same way, and a dry run previews the request instead of sending it. Nothing is evaluated.

A span that does not end ``ok`` is left exactly as written and reported, with a machine-readable
:class:`~gorilla_router.specs.CallReason`, in :attr:`AnnotatedText.spans`. Spans are executed one at a
time in text order, each at most once; spans that already carry a result are skipped (see :mod:`.spans`).
"""

from __future__ import annotations

import ast
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, Field

from gorilla_router.errors import GenerationError, RouterError
from gorilla_router.execution.base import Executor
from gorilla_router.generation.pycalls import call_name, parse_call_expression, quote
from gorilla_router.inline.render import render_result, splice
from gorilla_router.inline.resolve import UnresolvedName, resolve_name
from gorilla_router.inline.spans import Span, find_spans
from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus
from gorilla_router.zoo import ApiZoo

__all__ = [
    "AnnotateHost",
    "AnnotatedText",
    "Annotator",
    "InlineOptions",
    "SpanReport",
    "annotate_text",
    "outcome_fields",
    "reason_of",
]


@dataclass(frozen=True)
class InlineOptions:
    """Limits and formatting for inline calls.

    ``max_result_chars`` bounds each spliced result (longer ones end with ``…``); ``max_spans`` bounds how
    many calls one text may run (the rest are reported, not parsed); ``max_call_chars`` bounds one call.
    """

    max_result_chars: int = 80
    max_spans: int = 50
    max_call_chars: int = 2000
    arrow: str = "→"

    def __post_init__(self) -> None:
        for name in ("max_result_chars", "max_spans", "max_call_chars"):
            if getattr(self, name) < 1:
                raise ValueError(f"InlineOptions.{name} must be at least 1, got {getattr(self, name)}")


class SpanReport(BaseModel):
    """What happened to one ``[…]`` span: where it is, the call, how it ended and why.

    ``start``/``end`` index the *original* text. ``replacement`` is what the span became in the new text
    (the span itself when it was left in place). ``reason`` is for programs; ``error`` for people.
    """

    start: int
    end: int
    source: str
    call_text: str
    call: ApiCall | None = None
    status: CallStatus
    reason: CallReason
    error: str | None = None
    output: Any = None
    result_text: str | None = None
    request: dict[str, Any] | None = None
    replacement: str
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def executed(self) -> bool:
        return self.status is CallStatus.OK


class AnnotatedText(BaseModel):
    """The annotated text and one report per span found (in text order)."""

    original: str
    text: str
    spans: list[SpanReport] = Field(default_factory=list)

    @property
    def executed(self) -> list[SpanReport]:
        return [s for s in self.spans if s.executed]

    @property
    def left_in_place(self) -> list[SpanReport]:
        return [s for s in self.spans if not s.executed]


_REASON_BY_STATUS = {
    CallStatus.OK: CallReason.EXECUTED,
    CallStatus.DRY_RUN: CallReason.DRY_RUN,
    CallStatus.INVALID: CallReason.INVALID_ARGUMENTS,
    CallStatus.DENIED: CallReason.DENIED_BY_POLICY,
    CallStatus.NEEDS_INPUT: CallReason.NEEDS_INPUT,
    CallStatus.ERROR: CallReason.EXECUTION_FAILED,
    CallStatus.NO_CALL: CallReason.NO_SUITABLE_API,
}


def reason_of(result: CallResult) -> CallReason:
    """The result's own reason (the guard sets one on every result); otherwise the one its status implies.

    The fallback covers executors outside this package that do not set ``reason``; it never reads the
    message text.
    """
    if result.reason is not None:
        return result.reason
    return _REASON_BY_STATUS[result.status]


def outcome_fields(result: CallResult, call: ApiCall) -> dict[str, Any]:
    """The fields every inline report copies from a ``CallResult`` (the validated call when there is one)."""
    return {
        "call": result.call or call,
        "status": result.status,
        "reason": reason_of(result),
        "error": result.error,
        "output": result.output,
    }


class _SpanFailure(Exception):
    def __init__(self, status: CallStatus, reason: CallReason, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class Annotator:
    """Finds, checks, executes and splices the inline calls of texts against one zoo and executor."""

    def __init__(self, zoo: ApiZoo, executor: Executor, options: InlineOptions | None = None) -> None:
        self.zoo = zoo
        self.executor = executor
        self.options = options or InlineOptions()

    def annotate(self, text: str) -> AnnotatedText:
        """Run every call span of ``text`` once, in order; see the module docstring."""
        if not isinstance(text, str):
            raise TypeError(f"annotate() needs a str, got {type(text).__name__}")
        spans = find_spans(text, max_spans=self.options.max_spans, max_call_chars=self.options.max_call_chars)
        reports = [self._run_span(text, span) for span in spans]
        return AnnotatedText(original=text, text=_spliced(text, reports), spans=reports)

    def parse(self, call_text: str) -> tuple[ApiCall, ApiSpec]:
        """The ``ApiCall`` a span's text stands for, and its spec; ``_SpanFailure`` says what is wrong."""
        try:
            tree = ast.parse(call_text, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            detail = exc.msg if isinstance(exc, SyntaxError) else type(exc).__name__
            raise _SpanFailure(
                CallStatus.INVALID,
                CallReason.MODEL_OUTPUT_INVALID,
                f"not a call (Python syntax error: {detail}): {quote(call_text)}",
            ) from exc
        node = tree.body
        if not isinstance(node, ast.Call):
            raise _SpanFailure(
                CallStatus.INVALID, CallReason.MODEL_OUTPUT_INVALID, f"not a single call: {quote(call_text)}"
            )
        try:
            name = call_name(node.func, call_text)
        except GenerationError as exc:
            raise _SpanFailure(CallStatus.INVALID, CallReason.MODEL_OUTPUT_INVALID, str(exc)) from exc
        try:
            api_id = resolve_name(name, self.zoo.ids)
        except UnresolvedName as exc:
            raise _SpanFailure(CallStatus.INVALID, CallReason.UNKNOWN_API, str(exc)) from exc
        spec = self.zoo.get(api_id)
        try:
            call = parse_call_expression(node, spec, call_text, api_id=api_id)
        except GenerationError as exc:
            raise _SpanFailure(CallStatus.INVALID, CallReason.INVALID_ARGUMENTS, str(exc)) from exc
        return call, spec

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        """One call through the executor stack; a misuse error becomes an ``error`` result, not a crash."""
        started = time.perf_counter()
        try:
            result = self.executor.execute(call, spec)
        except RouterError as exc:
            result = CallResult(call=call, status=CallStatus.ERROR, error=f"{type(exc).__name__}: {exc}")
        return result.model_copy(
            update={"timings": {**result.timings, "execute": time.perf_counter() - started}}
        )

    def result_text(self, result: CallResult) -> str:
        """The output as it is spliced into text (one line, shortened, ``]`` escaped)."""
        return render_result(result.output, self.options.max_result_chars)

    def _run_span(self, text: str, span: Span) -> SpanReport:
        source = text[span.start : span.end]
        base: dict[str, Any] = {"start": span.start, "end": span.end, "source": source}
        base["call_text"] = span.call
        if span.error is not None:
            status, reason = (
                (CallStatus.DENIED, CallReason.DENIED_BY_POLICY)
                if span.over_limit
                else (CallStatus.INVALID, CallReason.MODEL_OUTPUT_INVALID)
            )
            return SpanReport(**base, status=status, reason=reason, error=span.error, replacement=source)
        try:
            call, spec = self.parse(span.call)
        except _SpanFailure as failure:
            return SpanReport(
                **base, status=failure.status, reason=failure.reason, error=str(failure), replacement=source
            )
        result = self.execute(call, spec)
        report = SpanReport(
            **base,
            **outcome_fields(result, call),
            request=result.request,
            replacement=source,
            timings=result.timings,
        )
        if result.status is CallStatus.OK:
            shown = self.result_text(result)
            report.result_text = shown
            report.replacement = splice(span.call, shown, self.options.arrow)
        return report


def _spliced(text: str, reports: Sequence[SpanReport]) -> str:
    """``text`` with every executed span replaced; executed spans never overlap (see :mod:`.spans`)."""
    pieces: list[str] = []
    cursor = 0
    for report in sorted((r for r in reports if r.executed), key=lambda r: r.start):
        pieces.append(text[cursor : report.start])
        pieces.append(report.replacement)
        cursor = report.end
    pieces.append(text[cursor:])
    return "".join(pieces)


class AnnotateHost(Protocol):
    """What annotating needs from a router: its zoo and its executor stack (so the guard is the same)."""

    @property
    def zoo(self) -> ApiZoo: ...

    @property
    def executor(self) -> Executor: ...


def annotate_text(host: AnnotateHost, text: str, **options: Any) -> AnnotatedText:
    """``router.annotate``: ``text`` through the host's zoo and executor (``options``: ``InlineOptions``)."""
    return Annotator(host.zoo, host.executor, InlineOptions(**options)).annotate(text)
