"""What a request states, read once: its normalised text, word tokens and numbers (digits or words).

Grounding asks of every argument value "did the user say this?"; this module prepares the request so each
question is a set lookup. Numbers include words ("five" → 5, "a dozen" → 12), suffixes ("5k" → 5000,
"2 million" → 2,000,000) and percentages (20 % → 20 and 0.2), because people write numbers that way and a
model that turns them into digits has not invented anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from gorilla_router.generation.grounding.money import Money, money_in

__all__ = ["RequestEvidence", "normalise", "same_word", "words_of"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mio": 1e6, "b": 1e9, "billion": 1e9}
_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "pair": 2, "couple": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5, "once": 1,
    "twice": 2, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
}  # fmt: skip


_ARTICLES = frozenset({"a", "an"})
_ARTICLE = re.compile(r"\b(?:a|an)\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, accents folded, every run of punctuation/space/underscore one space."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(_WORD.findall(folded.lower()))


def words_of(text: str) -> list[str]:
    return normalise(text).split()


@dataclass(frozen=True)
class RequestEvidence:
    """The request as sets: ``text`` (normalised), ``raw`` (lower case as written), words, numbers, and
    the amounts of money it states (:mod:`.money`)."""

    raw: str
    text: str
    words: frozenset[str]
    numbers: frozenset[float] = field(default_factory=frozenset)
    money: tuple[Money, ...] = ()
    article_one: bool = False
    """The request's only 1 is an article ("a ride", "an order"): enough for a required count ("a
    burrito" → 1), too little to write an optional one the request never asked for (``seat_count=1``)."""

    @classmethod
    def of(cls, query: str) -> RequestEvidence:
        text = normalise(query)
        words = text.split()
        numbers = frozenset(_numbers(query, words))
        without_articles = [word for word in words if word not in _ARTICLES]
        article_one = 1.0 in numbers and 1.0 not in _numbers(_ARTICLE.sub(" ", query), without_articles)
        return cls(query.lower(), text, frozenset(words), numbers, money_in(query), article_one)

    def times_written(self, value: float) -> int:
        """How often ``value`` is written in digits in the request (``0`` for one said only in words)."""
        found = (float(m.group(0).replace(",", "")) for m in _NUMBER.finditer(self.raw))
        return sum(1 for number in found if abs(number - value) <= 1e-9 * max(1.0, abs(number)))

    def has_number(self, value: float) -> bool:
        return any(abs(value - stated) <= 1e-9 * max(1.0, abs(stated)) for stated in self.numbers)

    def has_word(self, word: str) -> bool:
        """``word`` or a form of it (shared stem of five letters or more: "taco"/"tacos", "roll"/"rolls")."""
        return word in self.words or any(same_word(word, other) for other in self.words)


def same_word(word: str, other: str) -> bool:
    """``other`` is ``word`` or a form of it: a shared stem of five letters (of three for a shorter word),
    lengths within three ("taco"/"tacos", "upload"/"uploading")."""
    if word == other:
        return True
    if len(word) < 3 or len(other) < 3:
        return False
    stem = word[: max(3, min(len(word), 5))]
    return other.startswith(stem) and abs(len(other) - len(word)) <= 3


def _numbers(query: str, words: list[str]) -> set[float]:
    found: set[float] = set()
    lowered = query.lower()
    for match in _NUMBER.finditer(lowered):
        value = float(match.group(0).replace(",", ""))
        found.add(value)
        found.add(abs(value))
        after = lowered[match.end() : match.end() + 12].lstrip()
        for suffix, scale in _SCALES.items():
            if re.match(rf"{suffix}\b", after):
                found.add(value * scale)
        if after.startswith(("%", "percent")):
            found.add(value / 100)
    for index, word in enumerate(words):
        if word in _UNITS:
            value = float(_UNITS[word])
            following = words[index + 1] if index + 1 < len(words) else ""
            if following in _UNITS and _UNITS[following] < 10 <= value:  # "twenty five"
                found.add(value + _UNITS[following])
            if following in ("hundred", "thousand", "million"):
                found.add(value * {"hundred": 100, "thousand": 1e3, "million": 1e6}[following])
            found.add(value)
    return found
