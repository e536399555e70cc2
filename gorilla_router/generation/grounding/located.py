"""Coordinates and time zones of the places a request names, in place of the model's guesses.

For a parameter that holds a latitude or longitude (by name — ``lat``, ``start_latitude``, ``lng`` — or
by a description that begins with the word) the value the model wrote is kept where the request states it
(the user gave coordinates), and otherwise replaced by the coordinate of the city the request names
(:mod:`.places`), rounded to 0.01° (about a kilometre: a city, not a street): the nearest named city
within 1° of what the model wrote, or else — for a required coordinate — the only one named (an optional
coordinate far from every named city is left to the rest of grounding, which drops it: "weather in Madrid"
with ``q="Madrid"`` needs no coordinates besides). Latitude and longitude with the same prefix
(``start_``/``end_``) come from the same city; where a call has several such pairs (a ride's start and
end), only the nearest-city rule applies — "a ride to Tokyo" names the end, not the start.

A time-zone parameter (``timezone``, ``tzid``, ``from_tz``) whose value the request does not state
becomes the named city's IANA zone where one city is named and the zone is required, and a zone of any
named city counts as derived from the request.

A conversion between two zones (``from_tz``/``to_tz``, ``source_…``/``target_…``) of two cities the
request names in the order "A … to B" takes A's zone as its source and B's as its target: the model's
``from_tz="Asia/Tokyo", to_tz="Asia/Tokyo"`` for "2024-12-31 23:30 New York time to Tokyo time" (each a
named city's zone, so both had counted as derived) converted Tokyo time to itself.

A coordinate or zone so written is recorded in ``ApiCall.conversions`` like any conversion. Where the
request names no city the table knows, nothing changes here (the rest of grounding decides).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gorilla_router.generation.grounding.evidence import RequestEvidence, normalise
from gorilla_router.generation.grounding.places import Place, places_named, places_named_at

__all__ = ["Located", "coordinate_axis", "locate"]

_LATITUDE = re.compile(r"(?:^|_)(?:lat|latitude)$", re.IGNORECASE)
_LONGITUDE = re.compile(r"(?:^|_)(?:lng|lon|long|longitude)$", re.IGNORECASE)
_TIMEZONE = re.compile(r"(?:^|_)(?:tz|tzid|timezone|time_zone)$|[a-z]Tz$|TimeZone$", re.IGNORECASE)
_NEAR_DEGREES = 1.0
_SOURCE = re.compile(r"^(?:from|source|src)(?:_|[A-Z])")
_TARGET = re.compile(r"^(?:to|target|dest|destination)(?:_|[A-Z])")
_TOWARD = frozenset({"to", "into"})


@dataclass(frozen=True)
class Located:
    """A value taken from a named place, and why (for ``ApiCall.conversions``)."""

    value: Any
    note: str


def coordinate_axis(name: str, schema: Mapping[str, Any]) -> str | None:
    """``"latitude"``, ``"longitude"`` or ``None``: which coordinate a parameter holds, if one."""
    if schema.get("type") not in ("number", "integer", None):
        return None
    description = str(schema.get("description") or "").lower()
    if _LATITUDE.search(name) or description.startswith("latitude"):
        return "latitude"
    if _LONGITUDE.search(name) or description.startswith("longitude"):
        return "longitude"
    return None


def _prefix(name: str) -> str:
    return _LONGITUDE.sub("", _LATITUDE.sub("", name)).lower()


def _is_timezone(name: str, schema: Mapping[str, Any]) -> bool:
    return schema.get("type") in ("string", None) and bool(_TIMEZONE.search(name))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def locate(
    query: str,
    arguments: Mapping[str, Any],
    properties: Mapping[str, Any],
    required: Sequence[str] = (),
    evidence: RequestEvidence | None = None,
) -> dict[str, Located]:
    """The coordinate and time-zone arguments to write from the places ``query`` names (module docstring).

    Covers the parameters among ``arguments`` and the ``required`` ones the model left out; ``evidence``:
    the request already read (:meth:`RequestEvidence.of`), if the caller has it.
    """
    wanted = [name for name in properties if name in arguments or name in required]
    axes = {name: coordinate_axis(name, properties[name] or {}) for name in wanted}
    zones = [name for name in wanted if name in arguments and _is_timezone(name, properties[name] or {})]
    if not any(axes.values()) and not zones:
        return {}
    places = places_named(query)
    if not places:
        return {}
    evidence = evidence or RequestEvidence.of(query)
    located: dict[str, Located] = {}
    groups: dict[str, dict[str, str]] = {}
    for name, axis in axes.items():
        if axis:
            groups.setdefault(_prefix(name), {})[axis] = name
    for group in groups.values():
        written = {axis: _number(arguments.get(name)) for axis, name in group.items()}
        if any(value is not None and evidence.has_number(value) for value in written.values()):
            continue  # the user gave coordinates
        needed = any(name in required for name in group.values())
        only = places[0] if needed and len(places) == 1 and len(groups) == 1 else None
        place = _nearest(places, written) or only
        if place is None:
            continue
        for axis, name in group.items():
            coordinate = round(place.latitude if axis == "latitude" else place.longitude, 2)
            located[name] = Located(coordinate, f"{coordinate!r}: the {axis} of {_named(place)}")
    for name in zones:
        value = arguments[name]
        if not isinstance(value, str) or normalise(value) in evidence.text:
            continue  # stated ("UTC")
        by_zone = {place.timezone: place for place in places}
        if value in by_zone:
            located[name] = Located(value, f"{value!r}: the time zone of {_named(by_zone[value])}")
        elif len(places) == 1 and name in required:
            zone = places[0].timezone
            located[name] = Located(zone, f"{zone!r}: the time zone of {_named(places[0])}")
    located.update(_converted_between(query, zones, arguments, evidence))
    return located


def _converted_between(
    query: str, zones: Sequence[str], arguments: Mapping[str, Any], evidence: RequestEvidence
) -> dict[str, Located]:
    """A source and a target zone from "A … to B" (module docstring); nothing where the request gives a
    zone itself, names other than two cities of different zones, or no "to" between them."""
    sources = [name for name in zones if _SOURCE.search(name)]
    targets = [name for name in zones if _TARGET.search(name)]
    if len(sources) != 1 or len(targets) != 1:
        return {}
    if any(normalise(str(arguments[name])) in evidence.text for name in (*sources, *targets)):
        return {}  # the user wrote a zone
    named = places_named_at(query)
    if len(named) != 2 or named[0][1].timezone == named[1][1].timezone:
        return {}
    (first_at, first), (second_at, second) = named
    if not _TOWARD & set(evidence.text.split()[first_at:second_at]):
        return {}
    return {
        sources[0]: Located(
            first.timezone, f"{first.timezone!r}: the time zone of {_named(first)}, converted from"
        ),
        targets[0]: Located(
            second.timezone, f"{second.timezone!r}: the time zone of {_named(second)}, converted to"
        ),
    }


def _nearest(places: Sequence[Place], written: Mapping[str, float | None]) -> Place | None:
    """The named place nearest to the written coordinates, if within ``_NEAR_DEGREES`` on each axis."""
    given = {axis: value for axis, value in written.items() if value is not None}
    if not given:
        return None

    def distance(place: Place) -> float:
        own = {"latitude": place.latitude, "longitude": place.longitude}
        return max(abs(own[axis] - value) for axis, value in given.items())

    best = min(places, key=distance)
    return best if distance(best) <= _NEAR_DEGREES else None


def _named(place: Place) -> str:
    return f"{place.name} ({place.country}, GeoNames)"
