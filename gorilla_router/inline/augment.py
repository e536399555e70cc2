"""``router.augment(text)``: the model inserts calls where they help; Toolformer's filter keeps useful ones.

The Toolformer recipe (Schick et al., 2023), with the router's own stages doing each step:

1. **Positions** — a teach prompt shows texts with ``[api(args) → result]`` inserted; the scorer reads, at
   every token boundary of the passage, the probability that the model opens a call there
   (``marker_logprobs``). Per sentence the likeliest position is taken if it reaches
   ``position_threshold`` (the paper's τ_s), at most ``max_calls`` per passage, likeliest first.
2. **Calls** — the sentence up to that position is the request: the retriever offers the zoo's top
   ``candidates`` for it and the router's ``ModelBackend`` writes the call, under constrained decoding
   where the backend has it; a call naming anything outside the candidates is refused (never executed).
3. **Execution** — through the router's executor stack, so the guard is the one ``run`` uses: a write API
   needs the same confirmation, a destructive one is denied, a dry run sends nothing.
4. **Filter** — :class:`~gorilla_router.inline.lossfilter.LossFilter` keeps a call only if its result
   lowers the loss on the following tokens by ``filter_threshold``; the scores are kept on every call.
5. **Annotate** — kept calls are spliced in as ``[call → result]`` and the text is annotated, which runs
   calls the user wrote and skips the inserted ones (they carry results): nothing runs twice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Protocol

from pydantic import BaseModel, Field

from gorilla_router.errors import BackendError, ModelOutputError
from gorilla_router.execution.base import Executor
from gorilla_router.generation.base import ModelBackend
from gorilla_router.inline.annotate import AnnotatedText, Annotator, InlineOptions, outcome_fields
from gorilla_router.inline.lossfilter import DEFAULT_THRESHOLD, FilterItem, FilterScore, LossFilter
from gorilla_router.inline.render import splice
from gorilla_router.inline.scoring import Scorer
from gorilla_router.inline.spans import code_regions, find_spans
from gorilla_router.specs import ApiCall, CallReason, CallStatus, Candidate
from gorilla_router.zoo import ApiZoo

__all__ = [
    "TEACH_PROMPT",
    "AugmentHost",
    "AugmentOptions",
    "AugmentedText",
    "Augmenter",
    "InsertedCall",
    "augment_text",
    "default_scorer",
]

TEACH_PROMPT = """\
Your task is to add calls to an API to a piece of text. A call gets information that helps to complete \
the text; write it as [api(arguments) → result] right before the words it helps to write. Examples:

Input: The square root of 1764 is 42.
Output: The square root of 1764 is [math.sqrt(x=1764) → 42.0] 42.

Input: Thirty days after 2024-01-15 it was 2024-02-14, a Wednesday.
Output: Thirty days after 2024-01-15 it was [datetime.add_days(start="2024-01-15", days=30) → 2024-02-14] \
2024-02-14, a Wednesday.

Input: Two to the power of ten is 1024, a kilobyte.
Output: Two to the power of ten is [math.pow(x=2, y=10) → 1024.0] 1024, a kilobyte.

Input: {text}
Output:"""
"""Toolformer's "teach prompt" for call positions; ``{text}`` is the passage. It teaches the format only:
which API is called is decided by the backend over the zoo's retrieved candidates, never by this text."""

MARKER = " ["
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?]+(?=[^\s.!?]))+[.!?]*")  # "3.14" does not end a sentence
_MIN_QUERY_WORDS = 3


@dataclass(frozen=True)
class AugmentOptions:
    """How many calls to try and how strictly to keep them (names follow the paper / toolformer-pytorch)."""

    filter_threshold: float = DEFAULT_THRESHOLD
    position_threshold: float = 0.05
    max_calls: int = 3
    candidates: int = 3
    max_result_chars: int = 80

    def __post_init__(self) -> None:
        if not 0.0 <= self.position_threshold <= 1.0:
            raise ValueError(f"position_threshold is a probability in [0, 1], got {self.position_threshold}")
        if self.max_calls < 0 or self.candidates < 1:
            raise ValueError("max_calls must be at least 0 and candidates at least 1")


class InsertedCall(BaseModel):
    """One call the model proposed: where, why, what it returned, and the filter's scores.

    ``offset`` indexes the original text (the call goes right before ``text[offset:]``). ``reason`` is
    ``executed`` for calls that ran (``kept`` then says whether the filter kept them), or why it did not.
    """

    offset: int
    query: str
    position_logprob: float
    candidates: list[str] = Field(default_factory=list)
    call: ApiCall | None = None
    status: CallStatus | None = None
    reason: CallReason
    error: str | None = None
    output: Any = None
    result_text: str | None = None
    score: FilterScore | None = None
    kept: bool = False

    @property
    def call_text(self) -> str:
        return self.call.to_source() if self.call is not None else ""


class AugmentedText(BaseModel):
    """The augmented text, every proposed call with its scores, and the final annotation pass."""

    original: str
    text: str
    calls: list[InsertedCall] = Field(default_factory=list)
    annotated: AnnotatedText
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def kept(self) -> list[InsertedCall]:
        return [c for c in self.calls if c.kept]

    def training_records(self) -> list[dict[str, Any]]:
        """One record per kept call, as Toolformer fine-tunes on them: the text with that call inserted.

        Plain JSON-ready dicts (``text``, ``offset``, ``call``, ``api_id``, ``result``, the three losses,
        ``improvement``, ``threshold``), so a fine-tuning set builder needs nothing from this package.
        """
        records = []
        for inserted in self.kept:
            assert inserted.call is not None
            assert inserted.score is not None
            assert inserted.result_text
            text = _insert(self.original, [(inserted.offset, inserted.call_text, inserted.result_text)])
            records.append(
                {
                    "text": text,
                    "offset": inserted.offset,
                    "call": inserted.call_text,
                    "api_id": inserted.call.api_id,
                    "result": inserted.result_text,
                    **inserted.score.model_dump(mode="json"),
                }
            )
        return records


class AugmentHost(Protocol):
    """What augmenting needs from a router: zoo, retriever search, model backend, executor, min score."""

    @property
    def zoo(self) -> ApiZoo: ...

    @property
    def executor(self) -> Executor: ...

    @property
    def backend(self) -> ModelBackend: ...

    def search(self, query: str, k: int | None = None) -> list[Candidate]: ...


class Augmenter:
    """Inserts, executes, filters and annotates calls in passages; see the module docstring."""

    def __init__(
        self,
        host: AugmentHost,
        scorer: Scorer,
        options: AugmentOptions | None = None,
        *,
        min_score: float = 0.0,
    ) -> None:
        self.host = host
        self.scorer = scorer
        self.options = options or AugmentOptions()
        self.min_score = min_score
        self.annotator = Annotator(
            host.zoo, host.executor, InlineOptions(max_result_chars=self.options.max_result_chars)
        )
        self.filter = LossFilter(scorer, self.options.filter_threshold)

    def augment(self, text: str) -> AugmentedText:
        if not isinstance(text, str):
            raise TypeError(f"augment() needs a str, got {type(text).__name__}")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        positions = self.positions(text)
        timings["positions"] = time.perf_counter() - started
        calls = [self._propose(text, offset, logprob, timings) for offset, logprob in positions]
        executed = [c for c in calls if c.status is CallStatus.OK]
        filter_started = time.perf_counter()
        items = [
            FilterItem(text[: c.offset], c.call_text, c.result_text or "", text[c.offset :]) for c in executed
        ]
        for inserted, score in zip(executed, self.filter.score(items), strict=True):
            inserted.score = score
            inserted.kept = score.kept
        timings["filter"] = time.perf_counter() - filter_started
        kept = [(c.offset, c.call_text, c.result_text or "") for c in calls if c.kept]
        annotate_started = time.perf_counter()
        annotated = self.annotator.annotate(_insert(text, kept))
        timings["annotate"] = time.perf_counter() - annotate_started
        timings["total"] = time.perf_counter() - started
        return AugmentedText(
            original=text, text=annotated.text, calls=calls, annotated=annotated, timings=timings
        )

    def positions(self, text: str) -> list[tuple[int, float]]:
        """``(offset, log P(call here))``: the best boundary per sentence above τ_s, at most ``max_calls``."""
        if self.options.max_calls == 0 or not text.strip():
            return []
        blocked = code_regions(text) + [(s.start, s.end) for s in find_spans(text)]
        prompt = TEACH_PROMPT.replace("{text}", text)  # the passage follows "Output:" once more
        boundaries = [  # after "Output:" the passage starts with a space, as the examples show
            (offset - 1, logprob)
            for offset, logprob in self.scorer.marker_logprobs(prompt, " " + text, MARKER)
        ]
        floor = _log(self.options.position_threshold)
        best: dict[int, tuple[int, float]] = {}
        for raw_offset, logprob in boundaries:
            offset = _before_spaces(text, raw_offset)
            sentence = _sentence_of(text, offset)
            if sentence is None or offset <= sentence[0] or logprob < floor:
                continue
            if any(start < offset < end for start, end in blocked):
                continue
            if sentence[0] not in best or logprob > best[sentence[0]][1]:
                best[sentence[0]] = (offset, logprob)
        ranked = sorted(best.values(), key=lambda pair: -pair[1])[: self.options.max_calls]
        return sorted(ranked)

    def _propose(self, text: str, offset: int, logprob: float, timings: dict[str, float]) -> InsertedCall:
        sentence = _sentence_of(text, offset)
        assert sentence is not None
        query = text[sentence[0] : offset].strip()
        if len(query.split()) < _MIN_QUERY_WORDS:
            query = text[sentence[0] : sentence[1]].strip()
        base: dict[str, Any] = {"offset": offset, "query": query, "position_logprob": logprob}
        started = time.perf_counter()
        candidates = self.host.search(query, k=self.options.candidates)
        _add(timings, "retrieve", time.perf_counter() - started)
        base["candidates"] = [c.spec.id for c in candidates]
        if not _similar_enough(candidates, self.min_score):
            return InsertedCall(**base, reason=CallReason.NO_SUITABLE_API, error="no zoo API is close enough")
        started = time.perf_counter()
        try:
            written = self.host.backend.generate(query, candidates)
        except ModelOutputError as exc:
            return InsertedCall(**base, reason=CallReason.MODEL_OUTPUT_INVALID, error=str(exc))
        except BackendError as exc:
            return InsertedCall(**base, reason=CallReason.BACKEND_ERROR, error=str(exc))
        finally:
            _add(timings, "generate", time.perf_counter() - started)
        if not written:
            return InsertedCall(**base, reason=CallReason.MODEL_DECLINED, error="the model wrote no call")
        call = written[0]
        offered = {c.spec.id: c.spec for c in candidates}
        if call.api_id not in offered:  # defence in depth: only retrieved zoo APIs may ever run
            return InsertedCall(
                **base,
                call=call,
                reason=CallReason.MODEL_OUTPUT_INVALID,
                error=f"the model named {call.api_id!r}, which is not a candidate ({', '.join(offered)})",
            )
        started = time.perf_counter()
        result = self.annotator.execute(call, offered[call.api_id])
        _add(timings, "execute", time.perf_counter() - started)
        inserted = InsertedCall(**base, **outcome_fields(result, call))
        if result.status is CallStatus.OK:
            inserted.result_text = self.annotator.result_text(result)
        return inserted


def default_scorer(host: AugmentHost) -> Scorer:
    """The router's model if it is a local transformers model (weights shared), else the embedded one."""
    from gorilla_router.inline.hf_scorer import HfScorer

    backend = host.backend
    if hasattr(backend, "model_name") and hasattr(backend, "loaded"):
        return HfScorer.for_backend(backend)  # type: ignore[arg-type]
    from gorilla_router.generation.embedded import ensure_embedded_model

    return HfScorer(str(ensure_embedded_model()))


def augment_text(
    host: AugmentHost, text: str, *, scorer: Scorer | None = None, **options: Any
) -> AugmentedText:
    """``router.augment``: ``options`` are :class:`AugmentOptions` fields; ``scorer`` defaults as above."""
    known = {f.name for f in fields(AugmentOptions)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown augment option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    min_score = float(getattr(getattr(host, "config", None), "min_score", 0.0))
    augmenter = Augmenter(
        host, scorer or default_scorer(host), AugmentOptions(**options), min_score=min_score
    )
    return augmenter.augment(text)


def _insert(text: str, calls: Sequence[tuple[int, str, str]]) -> str:
    """``text`` with ``[call → result]`` spliced in before each offset (offsets index ``text``)."""
    pieces: list[str] = []
    cursor = 0
    for offset, call_text, result_text in sorted(calls):
        head = text[cursor:offset]
        gap = " " if head and not head[-1].isspace() else ""
        pieces.append(f"{head}{gap}{splice(call_text, result_text)}")
        cursor = offset
    pieces.append(text[cursor:])
    return "".join(pieces)


def _before_spaces(text: str, offset: int) -> int:
    while offset > 0 and text[offset - 1].isspace():
        offset -= 1
    return offset


def _sentence_of(text: str, offset: int) -> tuple[int, int] | None:
    for match in _SENTENCE.finditer(text):
        if match.start() <= offset < match.end() or (offset == match.end() and match.end() == len(text)):
            return match.start(), match.end()
    return None


def _similar_enough(candidates: Sequence[Candidate], min_score: float) -> bool:
    """The router's rule: no candidates, or a best dense similarity under ``min_score``, means no API fits."""
    if not candidates:
        return False
    dense = [c.scores["dense"] for c in candidates if "dense" in c.scores]
    return not dense or max(dense) >= min_score


def _log(probability: float) -> float:
    import math

    return math.log(probability) if probability > 0 else float("-inf")


def _add(timings: dict[str, float], key: str, seconds: float) -> None:
    timings[key] = timings.get(key, 0.0) + seconds
