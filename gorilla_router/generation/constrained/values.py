"""What values a query can supply: the numbers it states and the word spans it contains.

A small base model invents values ("game_id=1", "Paris" for "Paris, France", "8" for 8%); restricting a
number to the numbers the query states, and a free-text string to spans of the query, removes most of
those errors. These helpers read the query only; the decoder decides which value fits which parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QueryNumber", "query_numbers", "query_spans", "query_words", "quoted_texts"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1, "single": 1,
    "couple": 2, "pair": 2, "dozen": 12, "twice": 2, "once": 1,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
# Words that only count as numbers inside a longer number phrase ("a hundred"), not on their own.
_WEAK = {"a", "an", "once", "single", "second"}

_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>-)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suffix>\s*(?:%|percent\b|k\b|m\b|million\b|billion\b|thousand\b))?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.:/-]*\d|\d")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class QueryNumber:
    """A number the query states. ``percent`` marks "5%" so a rate parameter can take 0.05."""

    value: float
    text: str
    percent: bool = False
    start: int = -1  # where ``text`` starts in the query (-1: unknown)

    @property
    def is_integer(self) -> bool:
        return float(self.value).is_integer()


def _scaled(value: float, suffix: str) -> tuple[float, bool]:
    word = suffix.strip().lower()
    if word in ("%", "percent"):
        return value, True
    factor = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "billion": 1_000_000_000}
    return value * factor.get(word, 1), False


def _digit_numbers(query: str) -> list[QueryNumber]:
    found: list[QueryNumber] = []
    for match in _NUMBER.finditer(query):
        raw = match["num"].replace(",", "")
        value = float(raw) * (-1 if match["sign"] else 1)
        value, percent = _scaled(value, match["suffix"] or "")
        found.append(QueryNumber(value, match.group(0).strip(), percent, match.start("num")))
    return found


def _word_numbers(query: str) -> list[QueryNumber]:
    """Spelled-out numbers: "six", "twenty five", "two hundred thousand", "a dozen"."""
    words = re.findall(r"[A-Za-z]+|\S", query.lower().replace("-", " "))
    found: list[QueryNumber] = []
    i = 0
    while i < len(words):
        total, current, used = 0, 0, 0
        j = i
        while j < len(words):
            word = words[j]
            if word in _UNITS and (current % 100 == 0 or (current >= 20 and current % 10 == 0)):
                if current and word in _WEAK:
                    break
                current += _UNITS[word]
            elif word in _TENS and current % 100 == 0:
                current += _TENS[word]
            elif word in _SCALES and (current or total or used):
                scale = _SCALES[word]
                if scale == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * scale
                    current = 0
            elif word == "and" and used and j + 1 < len(words) and words[j + 1] in {*_UNITS, *_TENS}:
                pass
            else:
                break
            used += 1
            j += 1
        phrase = words[i:j]
        if used and not (len(phrase) == 1 and phrase[0] in _WEAK):
            value = total + current
            found.append(QueryNumber(float(value), " ".join(phrase)))
            i = j
        else:
            if words[i] in _ORDINALS:
                found.append(QueryNumber(float(_ORDINALS[words[i]]), words[i]))
            i += 1
    return found


def _located(query: str, number: QueryNumber) -> QueryNumber:
    if number.start >= 0:
        return number
    first = re.search(r"\b" + re.escape(number.text.split(" ")[0]), query, re.IGNORECASE)
    return QueryNumber(number.value, number.text, number.percent, first.start() if first else -1)


def query_numbers(query: str) -> list[QueryNumber]:
    """Every number the query states, digits first, then spelled-out ones, without repeats."""
    seen: set[tuple[float, bool]] = set()
    result: list[QueryNumber] = []
    for number in [*_digit_numbers(query), *(_located(query, n) for n in _word_numbers(query))]:
        key = (number.value, number.percent)
        if key not in seen:
            seen.add(key)
            result.append(number)
    return result


def query_words(query: str) -> list[str]:
    """The query split on white space, with sentence punctuation and quotes trimmed from each piece."""
    words = []
    for token in _TOKEN.findall(query):
        word = token.strip("\"'“”‘’`()[]{}")
        word = word.rstrip(".,;:!?") if not re.fullmatch(r"(?:[A-Z]\.)+", word) else word
        if word:
            words.append(word)
    return words


def quoted_texts(query: str) -> list[str]:
    """Text the query puts in quotes ('Shape of You')."""
    return [m.group(2) for m in re.finditer(r"(['\"“‘])(.+?)(['\"”’])(?!\w)", query) if m.group(2).strip()]


def query_spans(query: str, max_words: int = 6) -> list[str]:
    """Contiguous word spans of the query (up to ``max_words`` words) plus anything it quotes.

    A span keeps inner punctuation as written ("Paris, France") but not the sentence's trailing period.
    Quoted text ('Shape of You', 'Hello, world!') is offered whole, as the user wrote it.
    """
    pieces = _TOKEN.findall(query)
    spans: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            spans.append(text)

    for quoted in quoted_texts(query):
        add(quoted)
    for start in range(len(pieces)):
        if start > 1 and _joins(pieces[start - 1], pieces[start]):
            continue  # "Angeles" alone, cut from "Los Angeles"
        for end in range(start + 1, min(len(pieces), start + max_words) + 1):
            if end < len(pieces) and _joins(pieces[end - 1], pieces[end]):
                continue  # "Los" alone
            chunk = " ".join(pieces[start:end]).strip("\"'“”‘’`()[]{}")
            chunk = chunk.rstrip(".,;:!?\"'”’)") if not chunk.endswith("..") else chunk
            chunk = chunk.lstrip("\"'“‘(")
            if chunk and _is_value_like(chunk):
                add(chunk)
    return spans


_EDGE_WORDS = frozenset(
    """
    a an the of for in on at to by with from and or but is are be me my i you your it its this that
    these those near into about as than then there their them they we our us do does did find get give
    show tell please can could would will some any all what which who how when where
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def _joins(left: str, right: str) -> bool:
    """Two capitalized words with nothing between them belong to one name."""
    return left[:1].isupper() and right[:1].isupper() and left[-1:].isalnum()


def _is_value_like(chunk: str) -> bool:
    """Spans that start or end with a function word ("the remote", "Paris for") are never a value;
    nor are spans with an unbalanced quote ("Translate 'Hello")."""
    words = chunk.lower().split()
    if words[0].strip(",") in _EDGE_WORDS or words[-1].strip(",") in _EDGE_WORDS:
        return False
    if any(w in ("and", "or") for w in words[1:-1]):
        return False  # two values ("USD and EUR"), not one
    inner = [w for w in words[1:-1] if w in _EDGE_WORDS]
    if inner and not (chunk[:1].isupper() and chunk.split()[-1][:1].isupper()):
        return False  # "Los Angeles for a specific date"; titles such as "Shape of You" stay
    return not any(chunk.count(q) % 2 for q in ('"', "“", "”")) and not re.search(r"(^|\s)'|'(\s|$)", chunk)
