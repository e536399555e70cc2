"""``ApiZoo``: the set of API specs the router may call, loaded from provider files and kept consistent.

A zoo is loaded all-or-nothing: every problem in every file is collected and raised together as one
``SpecError`` so a contributor fixes them in one pass, and no caller ever works on a half-loaded zoo.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from gorilla_router.errors import Problem, SpecError, UsageError
from gorilla_router.paths import bundled_zoo_dir
from gorilla_router.specs import ApiSpec, specs_fingerprint
from gorilla_router.zoo.problems import entry_label, problems_from_pydantic

__all__ = ["ApiZoo", "UnknownApiError", "zoo_files"]

SCHEMA_FILE_NAME = "schema.json"


class UnknownApiError(UsageError, KeyError):
    """An API id that is not in the zoo; the message suggests the closest ids."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else "unknown API id"


def zoo_files(*paths: str | Path) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the ``*.json`` provider files they hold (``schema.json`` skipped)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [p for p in sorted(path.glob("*.json")) if p.name != SCHEMA_FILE_NAME and p.is_file()]
            if not found:
                problems.append(
                    Problem(str(path), "<file>", "<path>", "no *.json provider files in this folder")
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "<file>", "<path>", "no such file or folder"))
    unique = list({file.resolve(): file for file in reversed(files)}.values())[::-1]  # a file named twice
    return unique, problems


def read_entries(file: Path) -> tuple[list[Any], list[Problem]]:
    """The raw entries of one provider file (a JSON list), or the problems that make it unreadable."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        return [], [Problem(str(file), "<file>", "<encoding>", f"not UTF-8 text: {error}")]
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        return [], [Problem(str(file), "<file>", "<json>", f"not valid JSON at {where}: {error.msg}")]
    if not isinstance(data, list):
        found = type(data).__name__
        message = f"a provider file must be a JSON list of entries, found a JSON {found}"
        return [], [Problem(str(file), "<file>", "<json>", message)]
    return data, []


def parse_entries(file: str, entries: list[Any]) -> tuple[list[ApiSpec], list[Problem]]:
    """Validate raw entries into ``ApiSpec``s, one ``Problem`` per fault (field paths from pydantic)."""
    specs: list[ApiSpec] = []
    problems: list[Problem] = []
    for index, raw in enumerate(entries):
        label = entry_label(raw, index)
        if not isinstance(raw, dict):
            message = f"an entry must be a JSON object, not {raw!r:.60}"
            problems.append(Problem(file, label, "<entry>", message))
            continue
        try:
            specs.append(ApiSpec.model_validate(raw))
        except PydanticValidationError as error:
            found = problems_from_pydantic(file, label, error)
            problems.extend(found + _problems_behind_unknown_fields(file, label, raw, error, found))
    return specs, problems


def _problems_behind_unknown_fields(
    file: str, label: str, raw: dict[str, Any], error: PydanticValidationError, found: list[Problem]
) -> list[Problem]:
    """Unknown top-level fields stop pydantic before the whole-entry checks; re-check without them.

    That way one run reports a typo'd key *and*, say, an undeclared path parameter in the same entry.
    """
    unknown = {e["loc"][0] for e in error.errors() if e["type"] == "extra_forbidden" and len(e["loc"]) == 1}
    if not unknown:
        return []
    try:
        ApiSpec.model_validate({k: v for k, v in raw.items() if k not in unknown})
    except PydanticValidationError as second:
        return [p for p in problems_from_pydantic(file, label, second) if p not in found]
    return []


class ApiZoo:
    """An ordered collection of ``ApiSpec`` with unique ids; remembers which file each spec came from."""

    def __init__(self, specs: Iterable[ApiSpec], sources: dict[str, Path] | None = None) -> None:
        self.specs: list[ApiSpec] = list(specs)
        self._by_id: dict[str, ApiSpec] = {}
        self._sources: dict[str, Path] = dict(sources or {})
        duplicates: list[Problem] = []
        for spec in self.specs:
            if spec.id in self._by_id:
                where = str(self._sources.get(spec.id, "<memory>"))
                duplicates.append(Problem(where, spec.id, "id", "duplicate id: ids must be unique in a zoo"))
            self._by_id[spec.id] = spec
        if duplicates:
            raise SpecError(f"{len(duplicates)} duplicate API id(s)", duplicates)

    @classmethod
    def load(cls, *paths: str | Path) -> ApiZoo:
        """Load provider files and/or folders of them; raise ``SpecError`` listing every problem."""
        if not paths:
            raise UsageError("ApiZoo.load needs at least one file or folder (or use ApiZoo.bundled())")
        files, problems = zoo_files(*paths)
        specs: list[ApiSpec] = []
        sources: dict[str, Path] = {}
        for file in files:
            entries, file_problems = read_entries(file)
            problems.extend(file_problems)
            loaded, entry_problems = parse_entries(str(file), entries)
            problems.extend(entry_problems)
            for spec in loaded:
                if spec.id in sources:
                    message = f"duplicate id: already defined in {sources[spec.id]}"
                    problems.append(Problem(str(file), spec.id, "id", message))
                    continue
                sources[spec.id] = file
                specs.append(spec)
        if problems:
            shown = ", ".join(str(p) for p in paths)
            raise SpecError(f"the API Zoo at {shown} has {len(problems)} problem(s)", problems)
        return cls(specs, sources)

    @classmethod
    def bundled(cls) -> ApiZoo:
        """The API Zoo shipped with the package (``apizoo/`` in a checkout)."""
        return cls.load(bundled_zoo_dir())

    def __iter__(self) -> Iterator[ApiSpec]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, api_id: object) -> bool:
        return isinstance(api_id, str) and api_id in self._by_id

    def __repr__(self) -> str:
        return f"ApiZoo({len(self)} specs)"

    @property
    def ids(self) -> list[str]:
        return [spec.id for spec in self.specs]

    def get(self, api_id: str) -> ApiSpec:
        """The spec with this id; ``UnknownApiError`` (a ``KeyError``) with close matches otherwise."""
        try:
            return self._by_id[api_id]
        except KeyError:
            close = difflib.get_close_matches(api_id, list(self._by_id), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise UnknownApiError(f"no API with id {api_id!r} in the zoo{hint}") from None

    def source_of(self, api_id: str) -> Path | None:
        """The provider file a spec was loaded from (``None`` for specs built in memory)."""
        self.get(api_id)
        return self._sources.get(api_id)

    def fingerprint(self) -> str:
        """A hash of the whole zoo's content, independent of order: it changes iff some spec changes."""
        return specs_fingerprint(self.specs)

    def with_specs(self, specs: Iterable[ApiSpec]) -> ApiZoo:
        """A new zoo with ``specs`` added (ids must stay unique); sources of existing specs are kept."""
        return ApiZoo([*self.specs, *specs], self._sources)

    def to_json(self) -> str:
        """The zoo as a provider file's text: entries sorted by id, defaults left out, 2-space indent."""
        entries = []
        for spec in sorted(self.specs, key=lambda s: s.id):
            entry = spec.model_dump(mode="json", exclude_defaults=True)
            if entry.get("provider") == spec.id.split(".", 1)[0]:
                del entry["provider"]  # derived from the id when loaded; writing it adds only noise
            entries.append(entry)
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write the zoo as one provider file atomically (temporary file + rename): never half-written."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = self.to_json()
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644  # mkstemp would leave 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target
