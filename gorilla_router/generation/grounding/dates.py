"""Days a request names relative to today — "tomorrow", "next friday", "3 days ago" — and the dates a call
should carry for them.

A model has no clock: for "what time does the sun rise tomorrow" the 0.5B writes ``date="2023-04-15"``, a
day from its training data. Grounding used to let any date through as a conversion once the request said a
time word; now a date written for a relative day is checked against the calendar and corrected, and the
correction is recorded like any conversion. Only when the request names no explicit date (an ISO or
numeric date written in it) — then the model's date must be one of the named days.

Recognised (on the normalised request): today / tonight, tomorrow, yesterday, the day after tomorrow, the
day before yesterday, in N days, N days ago, and a weekday — "last friday" the most recent past one, "next
friday" the coming one or the one after, "on/this friday" or a bare "friday" the coming one (said on a
friday: a week ahead, or today).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from gorilla_router.generation.grounding.evidence import normalise

__all__ = ["ISO_DATE", "RelativeDays", "date_for_days", "relative_days"]

ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_COUNTS = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_FIXED = (
    ("day after tomorrow", 2),
    ("day before yesterday", -2),
    ("tomorrow", 1),
    ("yesterday", -1),
    ("today", 0),
    ("tonight", 0),
)
_COUNT = r"(\d{1,3}|" + "|".join(_COUNTS) + r")"


class RelativeDays(tuple[tuple[str, date, bool], ...]):
    """``(words, day, preferred)`` per mention: the words as the request says them, the day they name,
    and whether that day is the first reading (``next friday`` names two days; the coming one is first)."""


def relative_days(query: str, today: date) -> RelativeDays:
    """The days ``query`` names relative to ``today``, in the order named (module docstring)."""
    text = f" {normalise(query)} "
    found: list[tuple[int, str, date, bool]] = []
    for words, offset in _FIXED:
        for match in re.finditer(rf" {words} ", text):
            if not any(start <= match.start() < start + len(w) + 1 for start, w, _, _ in found):
                found.append((match.start(), words, today + timedelta(days=offset), True))
    for match in re.finditer(rf" in {_COUNT} days? ", text):
        found.append((match.start(), match.group(0).strip(), today + timedelta(days=_count(match[1])), True))
    for match in re.finditer(rf" {_COUNT} days? ago ", text):
        found.append((match.start(), match.group(0).strip(), today - timedelta(days=_count(match[1])), True))
    for match in re.finditer(r" (?:(last|next|this|on|coming) )?(" + "|".join(_WEEKDAYS) + r")s? ", text):
        qualifier, weekday = match[1], _WEEKDAYS.index(match[2])
        ahead = (weekday - today.weekday()) % 7
        words = match.group(0).strip()
        if qualifier == "last":
            found.append(
                (match.start(), words, today - timedelta(days=(today.weekday() - weekday) % 7 or 7), True)
            )
        elif qualifier == "next":
            found.append((match.start(), words, today + timedelta(days=ahead or 7), True))
            found.append((match.start(), words, today + timedelta(days=(ahead or 7) + 7), False))
        elif ahead:
            found.append((match.start(), words, today + timedelta(days=ahead), True))
        else:  # said on that weekday: most likely next week's, possibly today
            found.append((match.start(), words, today + timedelta(days=7), True))
            found.append((match.start(), words, today, False))
    found.sort(key=lambda item: item[0])
    return RelativeDays((words, day, preferred) for _, words, day, preferred in found)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _COUNTS[text]


def date_for_days(value: Any, days: RelativeDays) -> tuple[Any, str] | None:
    """``value`` with each ISO date in it checked against the named ``days``: ``(value, note)`` where
    every date is a named day or was corrected to the one named (the first reading of each mention);
    ``None`` where the value holds no date, or a wrong one with several days named (nothing to choose)."""
    named = {day: words for words, day, _ in days}
    first = {day for _, day, preferred in days if preferred}
    notes: list[str] = []

    def check(text: str) -> str | None:
        for match in ISO_DATE.finditer(text):
            try:
                written = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
            if written in named:
                notes.append(f"{written.isoformat()} is {named[written]!r}")
            elif len(first) == 1:
                (day,) = first
                notes.append(f"{day.isoformat()} is {named[day]!r} ({written.isoformat()} was written)")
                text = text.replace(match[0], day.isoformat())
            else:
                return None
        return text

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return check(item)
        if isinstance(item, list):
            checked = [walk(element) for element in item]
            return (
                None
                if any(c is None and e is not None for c, e in zip(checked, item, strict=True))
                else checked
            )
        if isinstance(item, dict):
            checked_items = {key: walk(element) for key, element in item.items()}
            if any(checked_items[key] is None and item[key] is not None for key in item):
                return None
            return checked_items
        return item

    result = walk(value)
    if result is None or not notes:
        return None
    return result, "; ".join(dict.fromkeys(notes))
