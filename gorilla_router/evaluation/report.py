"""What an evaluation run produced: one ``ItemOutcome`` per item and the ``EvalReport`` that sums them.

Each outcome is one JSON Lines record (question, candidates, raw output, parsed calls, verdict, reason,
latency) so a failure can be inspected without re-running anything. Accuracy and hallucination are
fractions of all items; a hallucination is an output naming a function that was not offered.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CategoryCounts", "EvalReport", "ItemOutcome"]


@dataclass
class ItemOutcome:
    """The result for one benchmark item."""

    id: str
    category: str
    question: str
    candidates: list[str]
    raw_output: str
    calls: list[dict[str, Any]]
    passed: bool
    reason: str = ""
    hallucination: bool = False
    latency_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=str)


@dataclass(frozen=True)
class CategoryCounts:
    total: int
    passed: int
    hallucinated: int

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class EvalReport:
    """All outcomes of a run, with its name (backend or responses file) and wall-clock time."""

    name: str
    items: list[ItemOutcome]
    seconds: float = 0.0
    hallucination_defined: bool = True

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def accuracy(self) -> float:
        return sum(o.passed for o in self.items) / self.total if self.total else 0.0

    @property
    def hallucination(self) -> float:
        return sum(o.hallucination for o in self.items) / self.total if self.total else 0.0

    @property
    def mean_latency_s(self) -> float:
        return sum(o.latency_s for o in self.items) / self.total if self.total else 0.0

    def per_category(self) -> dict[str, CategoryCounts]:
        names = sorted({o.category for o in self.items})
        return {
            name: CategoryCounts(
                sum(o.category == name for o in self.items),
                sum(o.passed for o in self.items if o.category == name),
                sum(o.hallucination for o in self.items if o.category == name),
            )
            for name in names
        }

    def failures(self) -> list[ItemOutcome]:
        return [o for o in self.items if not o.passed]

    def write_jsonl(self, path: str | Path) -> Path:
        """Write one outcome per line (the folder is created); returns the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as handle:
            for outcome in self.items:
                handle.write(outcome.to_json() + "\n")
        return target

    def summary(self) -> dict[str, Any]:
        """The headline figures as plain data (for JSON output and tests)."""
        return {
            "name": self.name,
            "items": self.total,
            "accuracy": self.accuracy,
            "hallucination": self.hallucination if self.hallucination_defined else None,
            "mean_latency_s": self.mean_latency_s,
            "seconds": self.seconds,
            "per_category": {k: asdict(v) for k, v in self.per_category().items()},
        }
