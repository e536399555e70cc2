"""The held-out split, by example: each zoo entry with at least two examples gives up its LAST example.

The same convention as ``benchmarks/bench_end_to_end.py`` (``held_out_split``), so figures are comparable.
Training sees only the remaining examples; the index used to build training data and to evaluate is built
from the reduced zoo (retrieval indexes example queries, so a held-out query must not be in it).
"""

from __future__ import annotations

from dataclasses import dataclass

from gorilla_router.zoo import ApiZoo

__all__ = ["HeldOutItem", "held_out_split"]


@dataclass(frozen=True)
class HeldOutItem:
    """One test item: the request, the gold call as written in the zoo, and its API id."""

    query: str
    call: str
    api_id: str


def held_out_split(zoo: ApiZoo) -> tuple[ApiZoo, list[HeldOutItem]]:
    """(the zoo without the held-out examples, the held-out items in zoo order)."""
    specs, items = [], []
    for spec in zoo:
        if len(spec.examples) >= 2:
            test = spec.examples[-1]
            items.append(HeldOutItem(test.query, test.call, spec.id))
            spec = spec.model_copy(update={"examples": list(spec.examples[:-1])})
        specs.append(spec)
    return ApiZoo(specs), items
