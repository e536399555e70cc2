"""APIBench AST sub-tree matching, as the Gorilla paper defines it and ``ast_eval_{hf,tf,th}.py`` score it.

For each API of the hub's database, in order, take its call's function text and its argument values; a
model output *matches* the first API for which some call in the output has that function text and contains
every one of those values (single quotes stripped). No match → hallucination. A match whose API domain is the
gold domain → correct; otherwise wrong. Which arguments count differs per hub, as in the original scripts:

* huggingface — every argument (keyword arguments by their value);
* tensorflowhub — every argument, ``model=`` by its value, others by their whole text (``input_shape=…``);
* torchhub — only ``repo_or_dir`` / ``model`` values (positional ones are ignored).

The answer's ``api_call`` is cut out of the response text with the original scripts' slicing, so the
figures are comparable with the published ones; a torchhub response without ``api_call`` is neither
correct nor a hallucination (as in ``ast_eval_th.py``), elsewhere the whole response is searched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation.apibench_calls import CallArgument, CodeCall, find_calls

__all__ = [
    "HUBS",
    "ApiBenchMatcher",
    "ApiBenchVerdict",
    "ApiReference",
    "Hub",
    "extract_api_call",
]

Hub = Literal["huggingface", "tensorflowhub", "torchhub"]
HUBS: tuple[Hub, ...] = ("huggingface", "tensorflowhub", "torchhub")
Verdict = Literal["correct", "wrong", "hallucination", "no_api_call"]


@dataclass(frozen=True)
class ApiReference:
    """One database API reduced to what the matcher compares: function text and required values."""

    index: int
    function: str
    values: tuple[str, ...]
    domain: str
    api_name: str


@dataclass(frozen=True)
class ApiBenchVerdict:
    """How one response scored: the cut-out ``api_call``, the matched API (if any) and the verdict."""

    verdict: Verdict
    api_call: str | None
    matched: ApiReference | None
    gold_domain: str

    @property
    def reason(self) -> str:
        if self.verdict == "no_api_call":
            return "no api_call: the response has none (or no call was made)"
        if self.matched is None:
            return "no API of the database matches the call (hallucination)"
        if self.verdict == "wrong":
            matched = self.matched
            return f"matched {matched.api_name!r} of domain {matched.domain!r}, expected {self.gold_domain!r}"
        return f"matched {self.matched.api_name!r}"


def _values_huggingface(arguments: Sequence[CallArgument]) -> list[str]:
    return [a.value if "=" in a.text else a.text for a in arguments]


def _values_tensorflowhub(arguments: Sequence[CallArgument]) -> list[str]:
    return [a.value if ("model=" in a.text or "model =" in a.text) else a.text for a in arguments]


def _values_torchhub(arguments: Sequence[CallArgument]) -> list[str]:
    return [a.value for a in arguments if "repo_or_dir" in a.text or "model" in a.text]


_VALUE_RULES = {
    "huggingface": _values_huggingface,
    "tensorflowhub": _values_tensorflowhub,
    "torchhub": _values_torchhub,
}


def check_hub(hub: str) -> Hub:
    """Validate a hub name; the error lists the valid ones."""
    for known in HUBS:
        if hub == known:
            return known
    raise ConfigError(f"unknown APIBench hub {hub!r}; use one of: {', '.join(HUBS)}")


def reference_of(index: int, record: dict[str, Any], hub: Hub) -> ApiReference | None:
    """Reduce a database record to an ``ApiReference``; None when its api_call is not a call with values.

    Only a call at the very start of ``api_call`` counts (``./run.sh …`` or ``model = …`` do not), and an API
    whose call has no counted argument can never be matched — both exactly as in the original scripts.
    """
    code = str(record.get("api_call", ""))
    first = next((call for call in find_calls(code) if call.start == len(code) - len(code.lstrip())), None)
    if first is None:
        return None
    values = tuple(v.lstrip("'").rstrip("'") for v in _VALUE_RULES[hub](first.arguments))
    if not values:
        return None
    return ApiReference(
        index, first.function, values, str(record.get("domain", "")), str(record.get("api_name", ""))
    )


def extract_api_call(response: str, hub: Hub) -> str | None:
    """Cut the ``api_call`` out of a response the way the original scripts do (None: torchhub, no field)."""
    pieces = response.split("api_call")
    if len(pieces) == 1:
        return None if hub == "torchhub" else response
    field = pieces[1].split("api_provider")[0]
    start = field.index(":") if ":" in field else 0
    end = field.rindex(")") if ")" in field else -2
    return field[start + 2 : end + 1]


class ApiBenchMatcher:
    """Matches generated code against one hub's API database (``api/<hub>_api.jsonl`` records, in order)."""

    def __init__(self, records: Sequence[dict[str, Any]], hub: str) -> None:
        self.hub: Hub = check_hub(hub)
        self.records = list(records)
        self.references = [r for i, rec in enumerate(self.records) if (r := reference_of(i, rec, self.hub))]

    @classmethod
    def from_file(cls, path: str | Path, hub: str) -> ApiBenchMatcher:
        return cls(read_jsonl(path), hub)

    def match(self, code: str) -> ApiReference | None:
        """The first database API whose function and values some call in ``code`` has; None if none."""
        calls = find_calls(code)
        for reference in self.references:
            call = _first_with_function(calls, reference.function)
            if call is not None and all(value in call.text for value in reference.values):
                return reference
        return None

    def score(self, response: str, gold_domain: str) -> ApiBenchVerdict:
        """Score one model response (``<<<api_call>>>`` fields, or a bare call) against the gold domain."""
        api_call = extract_api_call(response, self.hub)
        if api_call is None:
            return ApiBenchVerdict("no_api_call", None, None, gold_domain)
        return self.score_code(api_call, gold_domain)

    def score_code(self, api_call: str, gold_domain: str) -> ApiBenchVerdict:
        """Score a bare call (no ``<<<api_call>>>`` field to cut out) against the gold domain."""
        matched = self.match(api_call)
        if matched is None:
            return ApiBenchVerdict("hallucination", api_call, None, gold_domain)
        verdict: Verdict = "correct" if matched.domain == gold_domain else "wrong"
        return ApiBenchVerdict(verdict, api_call, matched, gold_domain)


def _first_with_function(calls: Iterable[CodeCall], function: str) -> CodeCall | None:
    return next((call for call in calls if call.function == function), None)


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON Lines file; the error names the file and line of a bad record."""
    rows: list[dict[str, Any]] = []
    if not Path(path).is_file():
        raise ConfigError(f"file not found: {path}")
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ConfigError(
                    f"{path}:{number}: not valid JSON ({error.msg}); expected one object per line"
                ) from error
    return rows
