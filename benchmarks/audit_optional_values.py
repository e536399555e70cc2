"""Where each optional argument value of a run's answers comes from: stated, converted or invented.

    .venv/bin/python benchmarks/audit_optional_values.py RUN.jsonl [--backend NAME]

Reads ``bench_end_to_end.py --out``'s per-item file and grades every optional, non-default argument of
every call the router answered with, by the grounding stage's own test (``ground_value``: a span or a
number the request states, a standard conversion of it, or neither). The issue's target is "invented
optional argument values on the held-out set: 0"; the router's grounding drops an invented optional value
before it is answered, so a value counted as invented here was kept by one of grounding's documented
exceptions (a value the parameter's description gives for the request's words, a relative day) — each is
listed with its request so it can be checked.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from gorilla_router.errors import GenerationError
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.values import ground_value
from gorilla_router.generation.parsing import parse_calls
from gorilla_router.zoo import ApiZoo


def audit(rows: list[dict[str, Any]], zoo: ApiZoo) -> tuple[Counter[str], list[str]]:
    """(count per grade, one line per invented value) over the answered calls of ``rows``."""
    grades: Counter[str] = Counter()
    invented: list[str] = []
    for row in rows:
        evidence = RequestEvidence.of(row["query"])
        for text in row["got"]:
            try:
                calls = parse_calls(text, zoo.specs)
            except GenerationError:
                continue
            for call in calls:
                spec = zoo.get(call.api_id)
                properties = spec.parameters.get("properties", {}) or {}
                required = set(spec.parameters.get("required", []) or [])
                for name, value in call.arguments.items():
                    schema = properties.get(name) or {}
                    if name in required or ("default" in schema and schema["default"] == value):
                        continue
                    grade = ground_value(name, value, schema, evidence).value
                    grades[grade] += 1
                    if grade == "invented":
                        invented.append(f"{row['query']!r}: {call.api_id} {name}={value!r}")
    return grades, invented


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--backend", help="only this backend's rows (a side-by-side file)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.run.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.backend:
        rows = [row for row in rows if row.get("backend") == args.backend]
    grades, invented = audit(rows, ApiZoo.bundled())
    print(
        f"{len(rows)} requests; optional non-default values: "
        + ", ".join(f"{k} {v}" for k, v in sorted(grades.items()))
    )
    for line in invented:
        print("  invented:", line)


if __name__ == "__main__":
    main()
