"""Augmentations of zoo samples, each switchable (a rate; 0 turns it off) and counted.

As the best small function-calling models are trained (Hammer, xLAM):

* **irrelevance** — the right API removed from the candidates, target "no call" (built in :mod:`.data`,
  which has the retriever: the next retrieved API takes the freed place);
* **masked** — function and parameter names replaced by random ones, descriptions kept, so the model reads
  descriptions instead of memorising names (Hammer's function masking);
* **shuffled** — the candidates in another order (applied in place: the right API is not always first);
* **pair** — two examples of different APIs joined into one request, target both calls (built in
  :mod:`.data`, which retrieves for the joined request);
* **missing** — a required value taken out of the request, target the needs-input answer;
* **swapped** — every value the request states word for word given another one, in the request and in the
  target alike (another value the same parameter takes in the zoo's examples, or another number of the
  same form), so the model learns to copy the request's value rather than the value it saw in training —
  with about two examples per API, a fine-tune otherwise learns "pg" as *the* Hacker News user;
* **optional** — one optional parameter the call leaves out, stated at the end of the request by its name's
  words and a value ("list the slack channels, limit 20" → ``limit=20``; "…, sort keys" → ``sort_keys=true``),
  the value from the parameter's enum, another example, or its type. With about two examples per API, most
  of them without optional values, a fine-tune otherwise learns *which* arguments each API takes and drops
  an optional value a new request asks for (measured: ``count=3``, ``sep="-"``, ``sort_keys=true`` and
  ``limit=20`` lost on held-out requests after a fine-tune).
"""

from __future__ import annotations

import copy
import random
import re
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

from gorilla_router.generation.toolcall.prompt import render_answer
from gorilla_router.specs import MissingInput

from .samples import Sample, answer_text

__all__ = [
    "AugmentOptions",
    "mask_sample",
    "missing_value_sample",
    "optional_value_sample",
    "shuffle_sample",
    "swap_values_sample",
    "value_pools",
]


@dataclass(frozen=True)
class AugmentOptions:
    """Per augmentation: the share of base call samples that get one (``0`` = off)."""

    irrelevance: float = 0.25
    masked: float = 0.2
    shuffled: float = 0.3
    pair: float = 0.1
    missing: float = 0.1
    swapped: float = 0.0
    optional: float = 0.0

    def enabled(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _random_name(rng: random.Random, prefix: str) -> str:
    return prefix + "_" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(6))


def mask_sample(sample: Sample, rng: random.Random) -> Sample:
    """A copy with every tool and parameter renamed at random (descriptions kept), target renamed alike."""
    names: dict[str, str] = {}
    parameters: dict[str, dict[str, str]] = {}
    tools: list[dict[str, Any]] = []
    for tool in sample.tools:
        new = copy.deepcopy(tool)
        names[tool["name"]] = new["name"] = _random_name(rng, "func")
        schema = new.get("parameters", {})
        properties = schema.get("properties", {}) or {}
        renamed = {name: _random_name(rng, "arg") for name in properties}
        parameters[tool["name"]] = renamed
        schema["properties"] = {renamed[name]: value for name, value in properties.items()}
        if "required" in schema:
            schema["required"] = [renamed.get(name, name) for name in schema["required"]]
        tools.append(new)
    calls = [
        {
            "name": names.get(call["name"], call["name"]),
            "arguments": {
                parameters.get(call["name"], {}).get(key, key): value
                for key, value in call["arguments"].items()
            },
        }
        for call in sample.calls
    ]
    return Sample(sample.query, tools, answer_text(calls), "masked", sample.source, calls)


def shuffle_sample(sample: Sample, rng: random.Random) -> bool:
    """Shuffle the tools in place; ``False`` when the order could not change (fewer than two tools)."""
    if len(sample.tools) < 2:
        return False
    before = [t["name"] for t in sample.tools]
    while [t["name"] for t in sample.tools] == before:
        rng.shuffle(sample.tools)
    return True


def _placeholder(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    return "a number" if kind in ("integer", "number") else "something"


def missing_value_sample(sample: Sample, rng: random.Random) -> Sample | None:
    """The request with one required value taken out, target the needs-input answer; ``None`` if none fits.

    A value fits when it is a required argument whose text appears in the request as a whole word (so the
    request still reads naturally with a placeholder: "the square root of a number").
    """
    if len(sample.calls) != 1:
        return None
    call = sample.calls[0]
    tool = next((t for t in sample.tools if t["name"] == call["name"]), None)
    if tool is None:
        return None
    schema = tool.get("parameters", {})
    fitting = []
    for name in schema.get("required", []) or []:
        value = call["arguments"].get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            pattern = re.compile(rf"(?<!\w){re.escape(str(value))}(?!\w)", re.IGNORECASE)
            if pattern.search(sample.query):
                fitting.append((name, pattern))
    if not fitting:
        return None
    name, pattern = rng.choice(fitting)
    properties = schema.get("properties", {}) or {}
    query = pattern.sub(_placeholder(properties.get(name, {})), sample.query, count=1)
    answer = render_answer(None, [MissingInput(api_id=call["name"], parameter=name)])
    return Sample(" ".join(query.split()), copy.deepcopy(sample.tools), answer, "missing", sample.source, [])


ValuePools = dict[tuple[str, str], list[str | int | float]]
"""Per (function, parameter): the distinct values (scalars and list items) the call samples give it."""


def _scalars(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, (str, int, float)) and not isinstance(v, bool)]


def value_pools(samples: list[Sample]) -> ValuePools:
    """The values each parameter takes across the call samples (what :func:`swap_values_sample` draws)."""
    pools: ValuePools = {}
    for sample in samples:
        if sample.kind != "call":
            continue
        for call in sample.calls:
            for name, value in call["arguments"].items():
                pool = pools.setdefault((call["name"], name), [])
                pool.extend(v for v in _scalars(value) if v not in pool)
    return pools


def _as_written(text: str) -> str:
    """A pattern for ``text`` as a whole word or number of a request (not inside ``3.50`` or ``pg2``)."""
    return rf"(?<![\w.]){re.escape(text)}(?![\w.])"


def _other_number(value: int | float, rng: random.Random) -> int | float:
    """Another number written with as many digits (and decimals) as ``value``."""
    written = str(value).lstrip("-")
    whole, _, fraction = written.partition(".")
    while True:
        low = 10 ** (len(whole) - 1) if len(whole) > 1 else 1
        digits = str(rng.randint(low, 10 ** len(whole) - 1))
        if fraction:
            digits += "." + "".join(rng.choice(string.digits[1:]) for _ in fraction)
        other: int | float = float(digits) if fraction else int(digits)
        if value < 0:
            other = -other
        if other != value:
            return other


def _replacement(
    value: str | int | float, pool: list[str | int | float], query: str, rng: random.Random
) -> str | int | float | None:
    if isinstance(value, str):
        others = [v for v in pool if isinstance(v, str) and v != value and len(v) >= 2 and v not in query]
        return rng.choice(others) if others else None
    return _other_number(value, rng)


def swap_values_sample(sample: Sample, pools: ValuePools, rng: random.Random) -> Sample | None:
    """A copy whose request states other values than ``sample``'s, its target changed alike; ``None`` when the
    request states none of the target's values word for word (or no other value is known for them).

    A value is replaced everywhere it occurs (request and every call) by the same new value, so the
    request and its target stay consistent; values the target converts ("France" → "FR") are left alone.
    """
    if sample.kind != "call" or not sample.calls:
        return None
    mapping: dict[str | int | float, str | int | float] = {}
    for call in sample.calls:
        for name, value in call["arguments"].items():
            for item in _scalars(value):
                if item in mapping or (isinstance(item, str) and len(item) < 2):
                    continue
                if re.search(_as_written(str(item)), sample.query):
                    new = _replacement(item, pools.get((call["name"], name), []), sample.query, rng)
                    if new is not None:
                        mapping[item] = new
    if not mapping:
        return None
    spans = sorted({str(old): str(new) for old, new in mapping.items()}.items(), key=lambda kv: -len(kv[0]))
    pattern = re.compile("|".join(_as_written(old) for old, _ in spans))
    texts = dict(spans)
    query = pattern.sub(lambda match: texts[match.group(0)], sample.query)

    def swap(value: Any) -> Any:
        if isinstance(value, list):
            return [swap(item) for item in value]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return value
        return mapping.get(value, value)

    calls = [
        {"name": call["name"], "arguments": {k: swap(v) for k, v in call["arguments"].items()}}
        for call in sample.calls
    ]
    return Sample(query, copy.deepcopy(sample.tools), answer_text(calls), "swapped", sample.source, calls)


def _parameter_words(name: str) -> str:
    """``sort_keys`` → "sort keys", ``excludeArchived`` → "exclude archived"."""
    return " ".join(
        re.sub(r"([a-z])([A-Z])", r"\1 \2", name).replace("_", " ").replace("-", " ").lower().split()
    )


def _optional_value(
    schema: dict[str, Any], pool: list[str | int | float], rng: random.Random
) -> str | int | float | bool | None:
    """A value to state for an optional parameter: from its enum (not the default), another example's,
    or one of its type; ``None`` when none is sensible (a free text nobody gave an example of)."""
    default = schema.get("default")
    enum = [v for v in schema.get("enum") or [] if v != default and isinstance(v, (str, int, float))]
    kind = schema.get("type")
    if enum:
        return rng.choice(enum)
    if kind == "boolean":
        return not default if isinstance(default, bool) else True
    values = [v for v in pool if v != default and not isinstance(v, bool)]
    if values:
        return rng.choice(values)
    if kind == "integer":
        low, high = int(schema.get("minimum", 2)), int(schema.get("maximum", 50))
        return rng.randint(low, max(low, min(high, 50)))
    return None


def optional_value_sample(sample: Sample, pools: ValuePools, rng: random.Random) -> Sample | None:
    """A copy whose request also states one optional parameter the call leaves out, the call with it;
    ``None`` when the called tool has no such parameter a value can be given for (module docstring)."""
    if sample.kind != "call" or len(sample.calls) != 1:
        return None
    call = sample.calls[0]
    tool = next((t for t in sample.tools if t["name"] == call["name"]), None)
    if tool is None:
        return None
    schema = tool.get("parameters", {}) or {}
    required = set(schema.get("required", []) or [])
    choices: list[tuple[str, str | int | float | bool]] = []
    for name, prop in (schema.get("properties", {}) or {}).items():
        if name in required or name in call["arguments"] or not isinstance(prop, dict):
            continue
        value = _optional_value(prop, pools.get((call["name"], name), []), rng)
        if value is not None and not (isinstance(value, str) and (len(value) < 2 or value in sample.query)):
            choices.append((name, value))
    if not choices:
        return None
    name, value = rng.choice(choices)
    words = _parameter_words(name)
    stated = (words if value else f"no {words}") if isinstance(value, bool) else f"{words} {value}"
    query = f"{sample.query.rstrip(' .?!')}, {stated}"
    calls = [{"name": call["name"], "arguments": {**call["arguments"], name: value}}]
    return Sample(query, copy.deepcopy(sample.tools), answer_text(calls), "optional", sample.source, calls)


def _add(
    extra: list[Sample],
    counts: Counter[str],
    kind: str,
    rate: float,
    rng: random.Random,
    make: Callable[[], Sample | None],
) -> None:
    """With probability ``rate``, one more sample of ``kind``: counted, or ``<kind>_skipped`` if none fits."""
    if not rate or rng.random() >= rate:
        return
    made = make()
    if made is None:
        counts[f"{kind}_skipped"] += 1
    else:
        extra.append(made)
        counts[kind] += 1


def augment(
    samples: list[Sample], options: AugmentOptions, rng: random.Random, counts: Counter[str]
) -> list[Sample]:
    """Masked, missing-value and swapped-value copies of call samples, shuffled order in place; counted in
    ``counts``."""
    extra: list[Sample] = []
    pools = value_pools(samples) if options.swapped or options.optional else {}
    for sample in samples:
        if sample.kind != "call":
            continue
        if options.shuffled and rng.random() < options.shuffled and shuffle_sample(sample, rng):
            counts["shuffled"] += 1
        if options.masked and rng.random() < options.masked:
            extra.append(mask_sample(sample, rng))
            counts["masked"] += 1
        _add(extra, counts, "missing", options.missing, rng, partial(missing_value_sample, sample, rng))
        _add(extra, counts, "swapped", options.swapped, rng, partial(swap_values_sample, sample, pools, rng))
        _add(
            extra,
            counts,
            "optional",
            options.optional,
            rng,
            partial(optional_value_sample, sample, pools, rng),
        )
    return extra
