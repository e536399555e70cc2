"""``ImportReport``: what an importer loaded, what it skipped and why, and what it had to repair.

Importers are lenient by design, so the report is the contract: every input entry is either in
``specs`` or in ``skipped`` (``seen == loaded + skipped``), and every repair or guess is in ``notes``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gorilla_router.specs import ApiSpec

__all__ = ["ImportNote", "ImportReport"]


@dataclass(frozen=True)
class ImportNote:
    """One skipped entry or one repair: the file, the entry (``#index`` or a name) and the reason."""

    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.reason}"


@dataclass
class ImportReport:
    """The outcome of one import run."""

    specs: list[ApiSpec] = field(default_factory=list)
    skipped: list[ImportNote] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)
    seen: int = 0

    @property
    def loaded(self) -> int:
        return len(self.specs)

    def skip(self, file: str, entry: str, reason: str) -> None:
        self.skipped.append(ImportNote(file, entry, reason))

    def note(self, file: str, entry: str, reason: str) -> None:
        self.notes.append(ImportNote(file, entry, reason))

    def merge(self, other: ImportReport) -> None:
        self.specs.extend(other.specs)
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)
        self.seen += other.seen

    def skip_reasons(self) -> Counter[str]:
        """How many entries were skipped for each kind of reason (the text before the first colon)."""
        return Counter(note.reason.split(":", 1)[0] for note in self.skipped)

    def summary(self) -> str:
        """One line: seen, loaded, skipped, repaired."""
        return (
            f"{self.seen} entries seen: {self.loaded} loaded, {len(self.skipped)} skipped, "
            f"{len(self.notes)} note(s) on repairs and guesses"
        )
