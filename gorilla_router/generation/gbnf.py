"""A GBNF grammar (llama.cpp's grammar language) for "one call of one candidate, with schema-typed args".

Used by the ``llamacpp`` backend and usable as ``extra_body={"grammar": …}`` with a llama.cpp server: the
model can only write ``<candidate id>(name=value, …)`` where the id is a candidate, parameter names come
from that candidate's schema in schema order (required ones always, optional ones optionally), and each
value is a Python literal of the declared type (string, integer, number, boolean, enum, array, object,
null). The output therefore always parses with :func:`~gorilla_router.generation.parsing.parse_calls`
and can never name an API that was not offered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from gorilla_router.specs import ApiSpec

__all__ = ["call_grammar", "query_spans"]

_BASE_RULES = r"""
str ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" ["\\bfnrt] )* "\""
int ::= "-"? ( "0" | [1-9] [0-9]{0,15} )
num ::= int ( "." [0-9]{1,10} )? ( [eE] [-+]? [0-9]{1,3} )?
bool ::= "True" | "False"
null ::= "None"
any ::= str | num | bool | null | anylist | anydict
anylist ::= "[" ( any ( ", " any ){0,15} )? "]"
anydict ::= "{" ( str ": " any ( ", " str ": " any ){0,15} )? "}"
"""


def _literal(text: str) -> str:
    """A GBNF string literal matching ``text`` exactly."""
    return json.dumps(text, ensure_ascii=False)


def _escaped(text: str) -> str:
    """``text`` as it appears inside a double-quoted Python/JSON string literal."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _python_literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


_WORD_EDGE = ".,;:!?()[]{}'\""
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
MAX_SPAN_WORDS = 8


def query_spans(query: str) -> list[str]:
    """Every run of up to ``MAX_SPAN_WORDS`` query words, trimmed of edge punctuation, longest first."""
    words = query.split()
    spans: list[str] = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + MAX_SPAN_WORDS) + 1):
            span = " ".join(words[start:end]).strip(_WORD_EDGE)
            if span and span not in spans:
                spans.append(span)
    return sorted(spans, key=len, reverse=True)


class _Builder:
    def __init__(self, query: str | None = None) -> None:
        self.rules: dict[str, str] = {}
        self.string_rule = "str"
        self.integer_rule = "int"
        self.number_rule = "num"
        if query is not None:
            self._query_rules(query)

    def _query_rules(self, query: str) -> None:
        """String values become spans of the query; numbers the ones it states (when it states any)."""
        words = query.split()
        if words:
            # r_i: a span starting at word i. It ends at a word trimmed of edge punctuation, or continues
            # with the next word. One rule per word keeps the grammar linear in the query's length.
            for i in range(len(words) - 1, -1, -1):
                core = _escaped(words[i].strip(_WORD_EDGE) or words[i])
                body = _literal(core)
                if i + 1 < len(words):
                    body += f" | {_literal(_escaped(words[i]) + ' ')} qspan-{i + 1}"
                self.rules[f"qspan-{i}"] = body
            starts = " | ".join(f"qspan-{i}" for i in range(len(words)))
            self.string_rule = self.add("qstr", f'"\\"" ( {starts} ) "\\""')
        numbers = list(dict.fromkeys(_NUMBER.findall(query.replace(",", ""))))
        integers = [n for n in numbers if "." not in n]
        if integers:
            self.integer_rule = self.add("qint", " | ".join(_literal(n) for n in integers))
        if numbers:
            self.number_rule = self.add("qnum", " | ".join(_literal(n) for n in numbers))

    def add(self, base: str, body: str) -> str:
        name = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-") or "r"
        candidate, n = name, 1
        while candidate in self.rules and self.rules[candidate] != body:
            n += 1
            candidate = f"{name}-{n}"
        self.rules[candidate] = body
        return candidate

    def value(self, schema: Any, hint: str) -> str:
        if not isinstance(schema, dict):
            return "any"
        if schema.get("enum"):
            return self.add(f"{hint}-enum", " | ".join(_literal(_python_literal(v)) for v in schema["enum"]))
        kind = schema.get("type")
        if isinstance(kind, list):
            options = [self.value({**schema, "type": k}, f"{hint}-{k}") for k in kind]
            return self.add(f"{hint}-union", " | ".join(options))
        if kind == "string":
            return self.string_rule
        if kind == "integer":
            return self.integer_rule
        if kind == "number":
            return self.number_rule
        if kind == "boolean":
            return "bool"
        if kind == "null":
            return "null"
        if kind == "array":
            item = self.value(schema.get("items"), f"{hint}-item")
            return self.add(f"{hint}-list", f'"[" ( {item} ( ", " {item} ){{0,15}} )? "]"')
        if kind == "object":
            return "anydict"
        return "any"

    def arguments(self, spec: ApiSpec, prefix: str) -> str | None:
        """Rule for the argument list, or None when the API takes no parameters."""
        params = list(spec.properties.items())
        if not params:
            return None
        required = set(spec.required)
        items = [f'"{name}=" {self.value(schema, f"{prefix}-{name}")}' for name, schema in params]
        first: str | None = None  # rule for "rest starting at i, nothing written yet"
        after: str | None = None  # rule for "rest starting at i, something already written"
        for i in range(len(params) - 1, -1, -1):
            name = params[i][0]
            tail_after = f" {after}" if after else ""
            take_first = f"{items[i]}{tail_after}"
            take_after = f'", " {items[i]}{tail_after}'
            if name in required:
                new_first, new_after = take_first, take_after
            else:
                new_first = f"( {take_first} )" + (f" | {first}" if first else "?")
                new_after = f"( {take_after} )" + (f" | {after}" if after else "?")
            first = self.add(f"{prefix}-from-{i}", new_first)
            after = self.add(f"{prefix}-after-{i}", new_after)
        return first


def call_grammar(
    candidates: Sequence[ApiSpec], *, no_call: str | None = None, prefix: str = "", query: str | None = None
) -> str:
    """GBNF for one call of one of ``candidates`` (or the ``no_call`` text, e.g. ``"none()"``).

    With ``query``, free-text strings must be spans of the query and numbers ones it states (the error
    analysis in issue 7: small models otherwise write placeholders and vaguer strings than the user gave).
    """
    if not candidates and no_call is None:
        raise ValueError("a call grammar needs at least one candidate (or a no_call text)")
    builder = _Builder(query)
    alternatives = []
    for index, spec in enumerate(candidates):
        args = builder.arguments(spec, f"c{index}")
        inner = f" {args}" if args else ""
        alternatives.append(builder.add(f"c{index}-call", f'{_literal(spec.id + "(")}{inner} ")"'))
    if no_call is not None:
        alternatives.append(_literal(no_call))
    lead = f"{_literal(prefix)} " if prefix else ""
    root = f"root ::= {lead}( {' | '.join(alternatives)} )"
    rules = "\n".join(f"{name} ::= {body}" for name, body in builder.rules.items())
    return f"{root}\n{rules}\n{_BASE_RULES.strip()}\n"
