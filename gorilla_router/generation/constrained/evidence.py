"""Lexical evidence from the query, used where a 270M model's likelihoods are measurably unreliable.

Three decisions lean on it (each measured in ``benchmarks/bench_generation.py``):

* **which number goes where** — in "a cash flow of $5000 … over 5 years" the model alone often put 5
  into ``future_cash_flow``; the words next to a number usually name its parameter;
* **optional arguments the query spells out** — "open on Sundays" for ``open_on_sundays``, or one of
  its enum values ("vegan" for ``cuisine``): the model tends to close the call early, so such a
  parameter is added, and an enum takes one of the values the query names;
* **is the query about these APIs at all** — "no call" needs a smaller margin over the best candidate
  when the query shares no word with any candidate.

Words are compared by a crude stem (lower case, first five letters) so "sundays"/"Sunday" and
"period"/"periods" meet; very common words are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from gorilla_router.generation.constrained.values import QueryNumber
from gorilla_router.specs import ApiSpec

__all__ = [
    "enum_values_in_query",
    "listed_after",
    "mentions_any",
    "names_in_query",
    "number_affinity",
    "overlap",
    "stems",
]

_STOP = frozenset(
    """
    a an the of for in on at to by with from and or but is are be me my i you your it its this that
    these those what which who whom how when where get give find show tell please can could would will
    some any all near nearby into about as than then there their them they we our us do does did make
    using use via per new latest current given specific certain
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    return word[:5]


def stems(text: str) -> set[str]:
    """Content-word stems of ``text`` (snake_case and dotted names are split into words)."""
    words = _WORD.findall(text.lower().replace("_", " "))
    return {_stem(w) for w in words if len(w) >= 3 and w not in _STOP}


def overlap(query: str, spec: ApiSpec) -> int:
    """How many content words the query shares with the spec's id, name, description and parameters."""
    return len(stems(query) & stems(" ".join([spec.id, spec.name, spec.description, *spec.properties])))


def mentions_any(query: str, specs: Sequence[ApiSpec]) -> bool:
    """Whether the query shares a content word with any candidate's id, name, description or parameters."""
    return any(overlap(query, spec) for spec in specs)


def names_in_query(query: str, names: Iterable[str]) -> list[str]:
    """Parameter names every content word of which the query contains (``open_on_sundays``)."""
    asked = stems(query)
    found = []
    for name in names:
        words = stems(name)
        if words and words <= asked:
            found.append(name)
    return found


def enum_values_in_query(query: str, schema: dict[str, Any]) -> list[Any]:
    """The enum values (of the schema or of its array items) the query writes out, ignoring case."""
    values = schema.get("enum") or (schema.get("items") or {}).get("enum") or []
    asked = " " + " ".join(re.findall(r"[\w/'-]+", query.lower())) + " "
    return [v for v in values if isinstance(v, str) and f" {v.lower()} " in asked]


def number_affinity(query: str, number: QueryNumber, name: str, description: str) -> int:
    """How strongly the words around ``number`` in the query name the parameter (0 = no evidence).

    Words within four before and two after the number count; a match with the parameter's name counts
    twice, one with its description once.
    """
    at = number.start if number.start >= 0 else query.find(number.text)
    if at < 0:
        return 0
    before = _WORD.findall(query[:at].lower())[-4:]
    after = _WORD.findall(query[at + len(number.text) :].lower())[:2]
    near = stems(" ".join(before + after))
    return 2 * len(near & stems(name)) + len(near & (stems(description) - stems(name)))


_LIST_GLUE = re.compile(
    r"^\s*(?:,|;|&|\band\b|\bplus\b)\s*(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)?\s*\w",
    re.IGNORECASE,
)


def listed_after(query: str, value: Any) -> bool:
    """Whether ``value`` (a string from the query) is followed there by a list joint ("X and Y", "X, Y").

    "order five burgers and six chicken wings" continues ``burgers`` with another item, so an array of
    strings should not be closed after it.
    """
    if not isinstance(value, str) or not value:
        return False
    at = query.lower().find(value.lower())
    if at < 0:
        return False
    return bool(_LIST_GLUE.match(query[at + len(value) :]))
