"""Schema-driven constrained decoding of one call, as a sequence of choices among allowed continuations.

The grammar is walked in Python: at each point the decoder lists what may come next and asks the model
(through a :class:`~.chooser.Chooser`) which continuation is likeliest. So the output is a call by
construction:

* the function is one of the candidates' ids, or the explicit "no call" text;
* argument names come from that candidate's schema, required ones first (forced, no model step), then
  optional ones the model chooses to add, then ``)``;
* values follow their schema: enum → one of its values (one only, unless the schema is an array);
  boolean → ``True``/``False``; integer/number → a number the query states (words→digits, ``5%`` → 0.05
  for a rate), or digits chosen one by one when the query states none; string → a span of the query,
  word by word; array → ``[`` items ``]``; object → its properties.

Values are built as Python objects while the text is written, so no parsing (let alone ``eval``) of the
model output is needed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic

from gorilla_router.generation.constrained.chooser import Chooser, StateT
from gorilla_router.generation.constrained.evidence import (
    enum_values_in_query,
    listed_after,
    mentions_any,
    names_in_query,
    number_affinity,
    overlap,
    stems,
)
from gorilla_router.generation.constrained.strings import SpanDecoder
from gorilla_router.generation.constrained.values import query_numbers
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["CallDecoder", "DecodeOptions", "DecodedCall"]

_MAX_ITEMS = 8
_MAX_DIGITS = 9
_SCALAR_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")


@dataclass(frozen=True)
class DecodeOptions:
    """Switches for the value constraints (each one measured in ``benchmarks/bench_generation.py``)."""

    query_strings: bool = True  # free-text strings are spans of the query
    query_numbers: bool = True  # numbers are those the query states (else free digits)
    place_suffix: bool = True  # "Paris" → "Paris, France" when the query says so
    rerank_strings: bool = True  # rank the word-by-word span against quoted texts and names, per token
    call_prefix: str = " "
    no_call_text: str = "none()"
    allow_no_call: bool = True
    # "no call" must beat the best candidate by this many nats when the query shares a word with a
    # candidate, and by the second margin (negative: the candidate must win by as much) when it does not.
    no_call_margin: float = 2.0
    no_call_margin_unrelated: float = -1.0
    # nats per content word (up to 3) the query shares with a candidate, added when choosing among them:
    # a 270M model tends to copy the function of the nearest example rather than read the query.
    lexical_prior: float = 1.0
    # nats subtracted per retrieval rank below the first: the retriever's order (dense + BM25 over the
    # whole zoo, example queries included) is evidence the model's few-shot likelihood does not see.
    rank_prior: float = 2.0
    # nats added to "another item" when the query continues a string item with a list ("burgers and six
    # chicken wings"): the model tends to close an array after its first string.
    list_bonus: float = 5.0
    optional_bonus: float = 0.0  # nats added to "write another optional argument" against ")"
    number_context: bool = True  # prefer the query number whose neighbouring words name the parameter
    optional_evidence: bool = True  # optional arguments / enum values the query spells out (evidence.py)


@dataclass
class DecodedCall:
    """The decoded call (``None`` for "no call"), the text written and the function-choice scores."""

    call: ApiCall | None
    text: str
    function_scores: dict[str, float] = field(default_factory=dict)


def render_literal(value: Any) -> str:
    """Python source for a literal value (double-quoted strings, ``True``/``False``/``None``)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _schema_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind in _SCALAR_TYPES:
        return str(kind)
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


class CallDecoder(Generic[StateT]):
    """Decode one call for ``query`` from ``specs`` with a chooser; see the module docstring."""

    def __init__(self, chooser: Chooser[StateT], options: DecodeOptions | None = None) -> None:
        self.chooser = chooser
        self.options = options or DecodeOptions()

    def decode(
        self, state: StateT, query: str, specs: Sequence[ApiSpec], ranks: Sequence[int] | None = None
    ) -> DecodedCall:
        """Choose a function (or "no call") and decode its arguments; ``ranks`` are the retrieval ranks."""
        opts = self.options
        if not specs:
            return DecodedCall(None, opts.no_call_text)
        heads = [f"{opts.call_prefix}{spec.id}(" for spec in specs]
        if opts.allow_no_call:
            heads.append(f"{opts.call_prefix}{opts.no_call_text}")
        choice = self.chooser.choose(state, heads)
        scores = {spec.id: choice.scores[i] for i, spec in enumerate(specs)}
        ranks = list(ranks) if ranks is not None else list(range(1, len(specs) + 1))
        prior = [
            opts.lexical_prior * min(3, overlap(query, spec)) - opts.rank_prior * (rank - 1)
            for spec, rank in zip(specs, ranks, strict=True)
        ]
        best = max(range(len(specs)), key=lambda i: choice.scores[i] + prior[i])
        if opts.allow_no_call:
            scores[""] = choice.scores[-1]
            margin = opts.no_call_margin if mentions_any(query, specs) else opts.no_call_margin_unrelated
            if choice.scores[-1] - choice.scores[best] > margin:
                return DecodedCall(None, heads[-1].strip(), scores)
        spec = specs[best]
        state = choice.state if choice.index == best else self.chooser.extend(state, heads[best])
        run = _CallRun(self.chooser, opts, query)
        arguments, state = run.arguments(state, spec)
        call = ApiCall(api_id=spec.id, arguments=arguments)
        call.raw = call.to_source()
        return DecodedCall(call, call.raw, scores)


class _CallRun(Generic[StateT]):
    """One decoding run: the query's numbers and which of them are used up."""

    def __init__(self, chooser: Chooser[StateT], options: DecodeOptions, query: str) -> None:
        self.chooser = chooser
        self.options = options
        self.query = query
        self.numbers = query_numbers(query)
        self.used_numbers: set[float] = set()
        self.spans = SpanDecoder(
            chooser, query, extend_places=options.place_suffix, rerank=options.rerank_strings
        )
        self.avoid: frozenset[str] = frozenset()

    def arguments(self, state: StateT, spec: ApiSpec) -> tuple[dict[str, Any], StateT]:
        self.avoid = frozenset(stems(spec.id))
        properties = spec.properties
        required = [name for name in properties if name in spec.required]
        optional = [name for name in properties if name not in spec.required]
        arguments: dict[str, Any] = {}
        for name in required:
            state = self.chooser.extend(state, f"{', ' if arguments else ''}{name}=")
            arguments[name], state = self.value(state, properties[name], name)
        if self.options.optional_evidence:
            named = names_in_query(self.query, optional)
            named += [
                n for n in optional if n not in named and enum_values_in_query(self.query, properties[n])
            ]
            for name in named:
                optional.remove(name)
                state = self.chooser.extend(state, f"{', ' if arguments else ''}{name}=")
                arguments[name], state = self.value(state, properties[name], name)
        while optional:
            sep = ", " if arguments else ""
            heads = [f"{sep}{name}=" for name in optional]
            choice = self.chooser.choose(state, [*heads, ")"])
            best = max(range(len(optional)), key=choice.scores.__getitem__)
            if choice.scores[-1] >= choice.scores[best] + self.options.optional_bonus:
                return arguments, choice.state if choice.index == len(optional) else self.chooser.extend(
                    state, ")"
                )
            name = optional.pop(best)
            state = choice.state if choice.index == best else self.chooser.extend(state, heads[best])
            arguments[name], state = self.value(state, properties[name], name)
        return arguments, self.chooser.extend(state, ")")

    def value(self, state: StateT, schema: dict[str, Any], name: str = "") -> tuple[Any, StateT]:
        if schema.get("enum"):
            named = enum_values_in_query(self.query, schema) if self.options.optional_evidence else []
            return self.pick(state, named or list(schema["enum"]))
        kind = _schema_type(schema)
        if kind == "boolean":
            return self.pick(state, [True, False])
        if kind == "null":
            return None, self.chooser.extend(state, "None")
        if kind in ("integer", "number"):
            return self.number(state, schema, name, integer=kind == "integer")
        if kind == "array":
            return self.array(state, schema.get("items") or {})
        if kind == "object":
            return self.object(state, schema)
        if self.options.query_strings:
            return self.spans.decode(state, self.avoid | stems(name))
        return self.spans.decode_free(state)

    def pick(self, state: StateT, values: Sequence[Any]) -> tuple[Any, StateT]:
        choice = self.chooser.choose(state, [render_literal(v) for v in values])
        return values[choice.index], choice.state

    def number_options(self, schema: dict[str, Any], name: str, integer: bool) -> list[float | int]:
        """The query's numbers that fit: unused first; those whose neighbouring words name the parameter."""
        description = str(schema.get("description", ""))
        says_percent = "percent" in description.lower()
        fitting = []
        for number in self.numbers:
            if number.percent and integer:
                continue  # "5%" is not a count of anything
            value = number.value / 100 if number.percent and not says_percent else number.value
            if integer and not float(value).is_integer():
                continue
            fitting.append((number, _tidy(value, integer)))
        fresh = [(n, v) for n, v in fitting if v not in self.used_numbers] or fitting
        if self.options.number_context and len(fresh) > 1:
            affinity = [number_affinity(self.query, n, name, description) for n, _ in fresh]
            top = max(affinity)
            if top > 0:
                fresh = [pair for pair, a in zip(fresh, affinity, strict=True) if a == top]
        return [v for _, v in fresh]

    def number(
        self, state: StateT, schema: dict[str, Any], name: str, integer: bool
    ) -> tuple[float | int, StateT]:
        options = self.number_options(schema, name, integer) if self.options.query_numbers else []
        if options:
            value, state = self.pick(state, options)
        else:
            value, state = self.free_number(state, integer)
        self.used_numbers.add(value)
        return value, state

    def free_number(self, state: StateT, integer: bool) -> tuple[float | int, StateT]:
        """Digits chosen one at a time; the number ends where the model prefers a ``,`` or ``)``."""
        text = ""
        digits = [str(d) for d in range(10)]
        while len(text) < _MAX_DIGITS:
            allowed = digits if text not in ("", "0") else digits[1:] if not text else []
            if text and not integer and "." not in text:
                allowed = [*allowed, "."]
            enders = [",", ")"] if text and not text.endswith(".") else []
            if not allowed:
                break
            choice = self.chooser.choose(state, [*allowed, *enders])
            if choice.index >= len(allowed):
                break  # the ender is not committed: the caller writes what follows
            text += allowed[choice.index]
            state = choice.state
        if not text or text.endswith("."):
            text += "0"
            state = self.chooser.extend(state, "0")
        return _tidy(float(text), integer), state

    def array(self, state: StateT, items: dict[str, Any]) -> tuple[list[Any], StateT]:
        state = self.chooser.extend(state, "[")
        values: list[Any] = []
        enum = list(items.get("enum") or [])
        while len(values) < _MAX_ITEMS:
            if enum:
                named = enum_values_in_query(self.query, items) if self.options.optional_evidence else []
                left = [v for v in (named or enum) if v not in values]
                if not left:
                    break
                value, state = self.pick(state, left)
            else:
                if values and self.out_of_numbers(items):
                    break
                value, state = self.value(state, items)
            values.append(value)
            before = state
            choice = self.chooser.choose(state, [", ", "]"])
            bonus = self.options.list_bonus if listed_after(self.query, value) else 0.0
            more = choice.scores[0] + bonus > choice.scores[1]
            if more == (choice.index == 0):
                state = choice.state
            else:
                state = self.chooser.extend(before, ", " if more else "]")
            if not more:
                return values, state
        return values, self.chooser.extend(state, "]")

    def out_of_numbers(self, items: dict[str, Any]) -> bool:
        """An array of numbers ends when the query has no number left to put in it."""
        if _schema_type(items) not in ("integer", "number") or not self.options.query_numbers:
            return False
        return all(
            v in self.used_numbers for v in self.number_options(items, "", items.get("type") == "integer")
        )

    def object(self, state: StateT, schema: dict[str, Any]) -> tuple[dict[str, Any], StateT]:
        properties: dict[str, Any] = dict(schema.get("properties") or {})
        required = [name for name in properties if name in schema.get("required", [])]
        optional = [name for name in properties if name not in required]
        state = self.chooser.extend(state, "{")
        result: dict[str, Any] = {}
        for name in required:
            state = self.chooser.extend(state, f"{', ' if result else ''}{json.dumps(name)}: ")
            result[name], state = self.value(state, properties[name], name)
        while optional:
            sep = ", " if result else ""
            choice = self.chooser.choose(state, [*(f"{sep}{json.dumps(n)}: " for n in optional), "}"])
            if choice.index == len(optional):
                return result, choice.state
            name = optional.pop(choice.index)
            result[name], state = self.value(choice.state, properties[name], name)
        return result, self.chooser.extend(state, "}")


def _tidy(value: float, integer: bool) -> float | int:
    """Integers for integer schemas and whole numbers (``5000`` not ``5000.0``), floats otherwise."""
    if integer or float(value).is_integer():
        return round(value)
    return round(float(value), 10)
