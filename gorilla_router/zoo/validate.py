"""``gorilla-router zoo validate``: every check on every entry of a zoo, as a list of ``Problem`` lines.

Unlike ``ApiZoo.load`` (which stops at the first layer: a zoo that does not parse cannot be used), this
goes on to the deep checks for every entry that does parse, so one run reports everything to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gorilla_router.errors import Problem
from gorilla_router.specs import ApiSpec
from gorilla_router.zoo.checks import check_spec
from gorilla_router.zoo.registry import ApiZoo, parse_entries, read_entries, zoo_files

__all__ = ["ValidationReport", "validate_paths", "validate_specs", "validate_zoo"]


class ValidationReport:
    """The outcome of validating a zoo: how many entries were seen and every problem found."""

    def __init__(self, entries: int, problems: list[Problem], files: list[Path]) -> None:
        self.entries = entries
        self.problems = problems
        self.files = files

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """One line per problem: ``file: entry: field: message``."""
        return [str(problem) for problem in self.problems]


def validate_specs(specs: Iterable[tuple[str, ApiSpec]], *, import_callables: bool = True) -> list[Problem]:
    """Deep-check ``(file, spec)`` pairs, including ids that repeat across files."""
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for file, spec in specs:
        if spec.id in first_file:
            problems.append(
                Problem(file, spec.id, "id", f"duplicate id: already defined in {first_file[spec.id]}")
            )
        else:
            first_file[spec.id] = file
        problems.extend(check_spec(spec, file, import_callables=import_callables))
    return problems


def validate_paths(*paths: str | Path, import_callables: bool = True) -> ValidationReport:
    """Validate provider files and folders: format, unique ids, schemas, callables, REST URLs, examples."""
    files, problems = zoo_files(*paths)
    pairs: list[tuple[str, ApiSpec]] = []
    entries = 0
    for file in files:
        raw_entries, file_problems = read_entries(file)
        problems.extend(file_problems)
        entries += len(raw_entries)
        specs, entry_problems = parse_entries(str(file), raw_entries)
        problems.extend(entry_problems)
        pairs.extend((str(file), spec) for spec in specs)
    problems.extend(validate_specs(pairs, import_callables=import_callables))
    return ValidationReport(entries, problems, files)


def validate_zoo(zoo: ApiZoo, *, import_callables: bool = True) -> list[Problem]:
    """Deep-check an already loaded zoo (its format and unique ids are guaranteed by loading)."""
    pairs = [(str(zoo.source_of(spec.id) or "<memory>"), spec) for spec in zoo]
    return validate_specs(pairs, import_callables=import_callables)
