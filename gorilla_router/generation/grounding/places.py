"""Places a request names, with their coordinates and time zone: what "Milan" means to a weather API.

A small model asked for the air quality in Milan writes ``latitude=-42.33, longitude=-71.07`` (a point in
Patagonia) and for New York ``lat=-40.71``: it knows that a city has coordinates, not which. Such values
are neither stated nor invented from nothing; they are a *conversion* of a place the request names, and
that conversion can be looked up instead of guessed. The table (``places.tsv``, ~6,200 cities of 100,000
people or more and every country; GeoNames data, CC BY 4.0, built by ``scripts/build_places.py``) is read
once, on the first call that has a coordinate or time-zone parameter.

A name counts only where the request writes it with a capital, so "a nice day" names no city. A request
written all in lower case ("weather in paris") names a city after "in", "at", "near", "from", "to" or
"for", or one of a million people or more — so "a temperature reading" is not Reading. A shared name means
the largest city of that name, unless the request names the country of a smaller one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gorilla_router.generation.grounding.evidence import normalise

__all__ = ["Place", "places_named", "places_named_at"]

_TABLE = Path(__file__).with_name("places.tsv")
_LONGEST_NAME = 5
_ALIASES = {"nyc": "new york city"}
_BIG_CITY = 1_000_000
_BEFORE_A_PLACE = frozenset({"in", "at", "near", "from", "to", "for", "around"})
_CODE = re.compile(r"\b[A-Z]{2}\b")
_CAPITALISED_WORD = re.compile(r"\b[^\W\d_][\w'’.-]*", re.UNICODE)


@dataclass(frozen=True)
class Place:
    """A city: its name, ISO country code, coordinates in decimal degrees (WGS84) and IANA time zone."""

    name: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    population: int = 0


@dataclass(frozen=True)
class _Gazetteer:
    cities: dict[str, tuple[Place, ...]]
    """Normalised name → the cities of that name, largest first."""
    countries: dict[str, str]
    """Normalised country name → ISO code."""
    codes: frozenset[str]
    """The ISO codes (counted only where written in capitals: "in" is not India)."""


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    cities: dict[str, list[Place]] = {}
    countries: dict[str, str] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, name, code, *rest = line.split("\t")
        if kind == "country":
            countries[normalise(name)] = code
            continue
        latitude, longitude, timezone, population = float(rest[0]), float(rest[1]), rest[2], int(rest[3])
        place = Place(name, code, latitude, longitude, timezone, population)
        cities.setdefault(normalise(name), []).append(place)
    for key in [key for key in cities if key.endswith(" city")]:
        short = key[: -len(" city")]
        if (
            short and short not in countries
        ):  # "New York City" is also "New York"; "Mexico City" is not "Mexico"
            cities.setdefault(short, []).extend(cities[key])
    for alias, key in _ALIASES.items():
        cities.setdefault(alias, []).extend(cities.get(key, []))
    codes = frozenset(countries.values())
    return _Gazetteer({key: tuple(value) for key, value in cities.items()}, countries, codes)


def places_named(query: str) -> tuple[Place, ...]:
    """The cities ``query`` names, in the order it names them (longest name first where names overlap)."""
    return tuple(dict.fromkeys(place for _, place in places_named_at(query)))


def places_named_at(query: str) -> list[tuple[int, Place]]:
    """Each naming of a city in ``query``: the index of its first word among the request's normalised
    words (:func:`~.evidence.normalise`), and the city, in the order named."""
    gazetteer = _gazetteer()
    words = normalise(query).split()
    capitalised = _capitalised_words(query)
    countries = {gazetteer.countries[word] for word in _ngrams(words) if word in gazetteer.countries}
    countries |= {code for code in _CODE.findall(query) if code in gazetteer.codes}
    found: list[tuple[int, Place]] = []
    start = 0
    while start < len(words):
        for size in range(min(_LONGEST_NAME, len(words) - start), 0, -1):
            name = " ".join(words[start : start + size])
            matches = gazetteer.cities.get(name)
            if matches and _names(words, start, matches, capitalised):
                in_country = [place for place in matches if place.country in countries]
                found.append((start, (in_country or list(matches))[0]))
                start += size
                break
        else:
            start += 1
    return found


def _names(words: list[str], start: int, matches: tuple[Place, ...], capitalised: set[str] | None) -> bool:
    """Whether the words at ``start`` name the city (module docstring: capitals, or their absence)."""
    if capitalised is not None:
        return words[start] in capitalised
    return (start > 0 and words[start - 1] in _BEFORE_A_PLACE) or matches[0].population >= _BIG_CITY


def _capitalised_words(query: str) -> set[str] | None:
    """The normalised words the request writes with a capital; ``None`` if it writes none at all."""
    if not any(char.isupper() for char in query):
        return None
    return {normalise(word) for word in _CAPITALISED_WORD.findall(query) if word[:1].isupper()}


def _ngrams(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + n]) for n in range(1, 5) for i in range(len(words) - n + 1)}
