"""Grounding: no invented values. The stage between the model's calls and validation, for every backend.

For each argument of a call the request is asked whether it states the value
(:func:`~.values.ground_value`):

* stated → kept; converted ("Japan" → "JP") → kept and recorded in ``ApiCall.conversions``;
* an amount of money for a parameter in the currency's smallest unit → that unit, whichever unit the model
  wrote ("€49.90" → 4990, and a 5 for "$5" → 500 rather than five cents), recorded (:mod:`.money`);
* a currency written as a name where the parameter takes codes → its code (``"pound"`` → ``"gbp"``);
* a coordinate or time zone of a city the request names → that city's, from a gazetteer, in place of the
  model's guess (:mod:`.located`; "Milan" → 45.46, 9.19, ``Europe/Rome``), recorded;
* a date written for a day the request names relative to today ("tomorrow", "next friday") → checked
  against the calendar and corrected if it is another day (:mod:`.dates`; a model has no clock), recorded;
* a date-time whose date and clock time the request both state ("9am on 2025-03-14" →
  ``"2025-03-14T09:00"``), and a fixed-date holiday's date with its year ("Christmas 2025"), → kept,
  recorded (:mod:`.moments`); so is an object's time zone that is the zone of a named city
  (``start={"dateTime": …, "timeZone": "Europe/Berlin"}`` for "… Berlin time");
* a value the parameter's description gives for a word the request uses ("deciles" → ``n=10``, "in
  fahrenheit" → ``units="imperial"``, :mod:`.documented`) → kept, recorded; an enum value nothing supports
  is replaced by the one value the description gives for the request's words, if there is exactly one;
* the documented default of a required parameter (``calendarId="primary"``) → kept: it is what leaving
  the value out means, so nothing is invented;
* invented and **optional** → dropped (the API's default applies), listed in ``GroundedCall.dropped``; so
  is an optional 1 the request says only as an article ("a ride" does not ask for ``seat_count=1``), and
  an optional number the request writes once that another argument already uses (``start=1.5`` beside
  ``iterable=[1.5, 2, 8]``);
* invented and **required** → for an API with side effects (``write``/``destructive``) always a
  :class:`~gorilla_router.specs.MissingInput`; for a read API only when the value is pure invention (a
  placeholder, an id, a date, a run of digits the request never gave — an ISBN — or a number of three or
  more digits more than twice any the request states, alone or in a list), otherwise kept as a
  recorded conversion (a regular expression for "find the e-mail addresses", coordinates for a named city);
* a required parameter the model left out (and without a default) → ``MissingInput``.

A call with anything missing becomes a ``needs_input`` answer that names the parameters instead of a
guessed call. Why after decoding and not inside it: the rule must hold for every backend alike (a served
Gorilla model, a LangChain chat model), and the decoder should keep the model's own competence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gorilla_router.generation.grounding.dates import RelativeDays, date_for_days, relative_days
from gorilla_router.generation.grounding.documented import documented_choice, documented_word
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.located import locate
from gorilla_router.generation.grounding.money import (
    currency_names_as_codes,
    in_minor_units,
    is_minor_unit_amount,
)
from gorilla_router.generation.grounding.values import (
    Grounding,
    ground_value,
    invents_digits,
    is_date,
    looks_like_placeholder,
    recombines_words,
    weakest,
)
from gorilla_router.specs import ApiCall, ApiSpec, MissingInput

__all__ = ["GroundedCall", "Grounding", "ground_call", "ground_calls"]

_WITH_SIDE_EFFECTS = frozenset({"write", "destructive"})


@dataclass(frozen=True)
class GroundedCall:
    """The call with invented optional values removed, what was removed, and what the user must supply."""

    call: ApiCall
    dropped: dict[str, Any] = field(default_factory=dict)
    missing: list[MissingInput] = field(default_factory=list)
    supported: frozenset[str] = frozenset()
    """Arguments whose value the request states or converts (an invented value kept for a read API, or a
    documented default, is not among them): what :func:`~..refine.refine_calls` asks of a later call."""


def _expected(schema: dict[str, Any]) -> str:
    parts = [str(schema["type"])] if schema.get("type") else []
    if isinstance(schema.get("enum"), list):
        parts.append("one of " + ", ".join(map(str, schema["enum"][:8])))
    if schema.get("description"):
        parts.append(" ".join(str(schema["description"]).split())[:100])
    return "; ".join(parts)


def ground_call(query: str, call: ApiCall, spec: ApiSpec, today: date | None = None) -> GroundedCall:
    """Ground one call against the request ``query`` (see the module docstring); ``today``: the date
    relative days count from (the machine's local date when not given)."""
    evidence = RequestEvidence.of(query)
    days = RelativeDays() if is_date(query) else relative_days(query, today or date.today())
    properties: dict[str, Any] = dict(spec.parameters.get("properties", {}) or {})
    required = [name for name in spec.parameters.get("required", []) or [] if name in properties]
    strict = spec.side_effects in _WITH_SIDE_EFFECTS
    kept: dict[str, Any] = {}
    dropped: dict[str, Any] = {}
    conversions = dict(call.conversions)
    missing: list[MissingInput] = []
    located = locate(query, call.arguments, properties, required, evidence)
    supported: set[str] = set()
    for name, value in call.arguments.items():
        supported.add(name)  # unless it is the documented default or invented (below)
        schema = dict(properties.get(name) or {})
        minor = _in_minor_units(value, schema, evidence)
        if minor is not None:
            kept[name] = minor
            if minor != value or not evidence.has_number(float(minor)):
                conversions[name] = f"{minor!r}: the stated amount in the currency's smallest unit"
            continue
        if name in located:
            kept[name] = located[name].value
            conversions[name] = located[name].note
            continue
        coded = currency_names_as_codes(value, schema) if isinstance(value, str) else None
        if coded is not None:
            kept[name] = coded
            conversions[name] = f"{coded!r}: currency codes for the names written ({value!r})"
            continue
        dated = date_for_days(value, days) if days else None
        if dated is not None:
            kept[name], conversions[name] = dated
            continue
        if name in required and "default" in schema and value == schema["default"]:
            kept[name] = value  # the API's documented default: what leaving the value out means
            supported.discard(name)
            continue
        verdict, zones = _ground_argument(query, name, value, schema, evidence)
        if verdict is Grounding.INVENTED:
            documented = _documented(value, schema, evidence)
            if documented is not None:
                kept[name], conversions[name] = documented
                continue
        if verdict is Grounding.STATED and name not in required and _unasked(value, evidence):
            dropped[name] = value
        elif (
            verdict is Grounding.STATED
            and strict
            and isinstance(value, str)
            and recombines_words(value, evidence)
        ):
            supported.discard(name)  # a write API's text the user never said: asked for, not composed
            missing.append(MissingInput(api_id=spec.id, parameter=name, expected=_expected(schema)))
        elif verdict is Grounding.STATED:
            kept[name] = value
        elif verdict is Grounding.CONVERTED:
            kept[name] = value
            derived = f"{value!r} is derived from the request, not written in it"
            conversions[name] = "; ".join([derived, *zones])
        elif name not in required:
            dropped[name] = value
        elif (
            strict or looks_like_placeholder(name, value) or is_date(value) or invents_digits(value, evidence)
        ):
            missing.append(MissingInput(api_id=spec.id, parameter=name, expected=_expected(schema)))
        else:
            kept[name] = value
            conversions[name] = f"{value!r} is not written in the request; the model derived it"
        if verdict is Grounding.INVENTED:
            supported.discard(name)
    for name in [name for name in kept if name not in required and name not in conversions]:
        if _repeats_a_used_number(kept[name], [v for other, v in kept.items() if other != name], evidence):
            dropped[name] = kept.pop(name)
    for name in required:
        if name not in call.arguments and name in located:
            kept[name] = located[name].value
            conversions[name] = located[name].note
            supported.add(name)
        elif name not in call.arguments and "default" not in (properties.get(name) or {}):
            missing.append(
                MissingInput(api_id=spec.id, parameter=name, expected=_expected(properties[name] or {}))
            )
    grounded = call.model_copy(update={"arguments": kept, "conversions": conversions})
    return GroundedCall(grounded, dropped, missing, frozenset(supported & set(kept)))


def _ground_argument(
    query: str, name: str, value: Any, schema: dict[str, Any], evidence: RequestEvidence
) -> tuple[Grounding, list[str]]:
    """``(verdict, notes)``: :func:`ground_value`'s verdict, except that an object's time-zone member
    (``start={"dateTime": …, "timeZone": "Europe/Berlin"}`` for "… Berlin time") counts as derived when it
    is the zone of a city the request names, as a top-level zone does (:func:`locate`); ``notes`` say so.
    Only confirmed members count: a nested value is never replaced here."""
    properties = schema.get("properties")
    if not isinstance(value, dict) or not value or not isinstance(properties, dict):
        return ground_value(name, value, schema, evidence), []
    located = {
        key: found
        for key, found in locate(query, value, properties, (), evidence).items()
        if found.value == value.get(key)
    }
    verdicts = [Grounding.CONVERTED] if located else []
    verdicts += [
        ground_value(key, item, dict(properties.get(key) or {}), evidence)
        for key, item in value.items()
        if key not in located
    ]
    notes = [f"{key}: {found.note}" for key, found in located.items()]
    return weakest(verdicts), notes


def _numbers_in(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, (list, tuple)):
        return [number for item in value for number in _numbers_in(item)]
    if isinstance(value, dict):
        return [number for item in value.values() for number in _numbers_in(item)]
    return []


def _repeats_a_used_number(value: Any, others: list[Any], evidence: RequestEvidence) -> bool:
    """An optional number the request writes once, already used by another argument of the call:
    ``math.prod(iterable=[1.5, 2, 8], start=1.5)`` for "the product of 1.5, 2 and 8"."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    used = sum(1 for other in others for number in _numbers_in(other) if number == float(value))
    return 0 < evidence.times_written(float(value)) <= used


def _unasked(value: Any, evidence: RequestEvidence) -> bool:
    """An optional value made of the request's words that the request still did not ask for: a 1 said
    only as an article, or a text composed of words scattered through it (:func:`recombines_words`)."""
    if isinstance(value, str):
        return recombines_words(value, evidence)
    return _only_an_article(value, evidence)


def _only_an_article(value: Any, evidence: RequestEvidence) -> bool:
    """A 1 the request states only as "a"/"an": no reason to write an optional parameter."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return number and float(value) == 1.0 and evidence.article_one


def _documented(value: Any, schema: dict[str, Any], evidence: RequestEvidence) -> tuple[Any, str] | None:
    """``(value, note)`` where the parameter's description gives a value for the request's words."""
    word = documented_word(value, schema, evidence)
    if word is not None:
        return value, f"{value!r}: the description gives it for {word!r}"
    choice = documented_choice(schema, evidence)
    if choice is not None:
        chosen, word = choice
        return chosen, f"{chosen!r}: the description gives it for {word!r} ({value!r} was written)"
    return None


def _in_minor_units(value: Any, schema: dict[str, Any], evidence: RequestEvidence) -> int | None:
    """A stated amount of money, in the smallest unit the parameter asks for (:mod:`.money`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not is_minor_unit_amount(schema):
        return None
    return in_minor_units(float(value), evidence.money)


def ground_calls(
    query: str, calls: Sequence[ApiCall], specs: Sequence[ApiSpec], today: date | None = None
) -> list[GroundedCall]:
    by_id = {spec.id: spec for spec in specs}
    return [ground_call(query, call, by_id[call.api_id], today) for call in calls]
