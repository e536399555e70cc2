"""Is one argument value grounded in the request? ``stated``, ``converted`` (recorded), or ``invented``.

* **stated** — the request says it: a span (case, punctuation and plural forms aside), a number written
  in digits or words, every element of a list stated, an enum value whose words the request uses, a
  boolean the request switches that way (:mod:`.flags`);
* **converted** — derived from something the request says by a standard conversion the model made: symbols
  the request names in words ("an ellipsis" → ``"..."``, :mod:`.symbols`); a
  short code of a stated name ("Japan" → "JP", "US dollars" → "usd", "Madrid" → "Madrid,ES"), a currency's
  code for its sign or name ("€" → "eur"), recorded in ``ApiCall.conversions`` for review;
* **invented** — nothing in the request supports it (a placeholder id, a default date, ``amount=1999``).

Why heuristics and not the model's word: the model is the one that invents; the check must come from the
request itself. The rules are deliberately simple and each is unit-tested.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from gorilla_router.generation.grounding.evidence import RequestEvidence, normalise, same_word
from gorilla_router.generation.grounding.flags import flag_values_said
from gorilla_router.generation.grounding.moments import DATE, date_time_stated, dates_stated
from gorilla_router.generation.grounding.money import currency_code_stated
from gorilla_router.generation.grounding.symbols import symbols_named

__all__ = [
    "Grounding",
    "ground_value",
    "invents_digits",
    "is_date",
    "looks_like_placeholder",
    "recombines_words",
    "weakest",
]

_CODE = re.compile(r"^[A-Za-z]{2,3}$")
_TRUNCATED = re.compile(r"\w(?:\.\.\.|…)")
_PLACEHOLDERS = re.compile(
    r"example|placeholder|your[_ -]|xxx|\btodo\b|\bfoo\b|\bbar\b|lorem|john doe|jane doe|^string$|^value$|"
    r"^test$|^abc\d*$|^1234\d*$|^123$|^0+$",
    re.IGNORECASE,
)
_ID_NAME = re.compile(r"(^|_)(id|ids|ts|key|token|sha|uuid|number)$|Id$", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\d{3,}")


class Grounding(str, Enum):
    STATED = "stated"
    CONVERTED = "converted"
    INVENTED = "invented"


def looks_like_placeholder(parameter: str, value: Any) -> bool:
    """A value models put in when they have none: ``"example"``, ``123``, an id the request never gave."""
    text = str(value)
    return bool(_PLACEHOLDERS.search(text)) or bool(_ID_NAME.search(parameter))


def invents_digits(value: Any, evidence: RequestEvidence) -> bool:
    """A text holding a run of three or more digits that the request never writes, in digits or in words;
    or a number (alone or in a list) of three or more digits, more than twice anything the request states.

    An identifier whose parameter is not called one (``isbn="978-3-16-144410-0"`` for "newest books about
    machine learning"): a model that was given no such number makes one up, and a read API then answers
    about something else. Runs the request does write may be recombined ("stars:>1000" for "over 1000
    stars", "2025-05-02T00:00:00Z" for "on 2025-05-02"). A number is judged by size, so that arithmetic on
    the request's numbers passes (``y2=2001`` for "1901 through 2000", a range's items for "between 100
    and 200") while a number out of all proportion does not (``1100000000`` in the list for "… 85, 110
    thousand").
    """
    if isinstance(value, list):
        return any(invents_digits(item, evidence) for item in value)
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        # a stated number is never more than twice the largest stated one, so this covers it too
        return abs(value) >= 100 and abs(value) > 2 * max(map(abs, evidence.numbers), default=0.0)
    if not isinstance(value, str):
        return False
    return any(
        run not in evidence.raw and not evidence.has_number(float(run)) for run in _DIGIT_RUN.findall(value)
    )


def is_date(value: Any) -> bool:
    """A string that holds a calendar date (``2024-03-15``, ``3/15/24``)."""
    return isinstance(value, str) and bool(DATE.search(value))


def _is_abbreviation(code: str, evidence: RequestEvidence) -> bool:
    """``code`` (2–3 letters) abbreviates consecutive words of the request: "JP" ← "Japan", "usd" ← "US
    dollars", "GB" ← "Great Britain". Within a word any later letter may follow; a next word must give its
    first letter (so "pg" is not read out of "profile of dang")."""
    code = code.lower()
    words = evidence.text.split()
    return any(_abbreviates(code, words[start:]) for start in range(len(words)))


def _abbreviates(code: str, words: list[str]) -> bool:
    """``code`` begins at ``words[0]``'s first letter and the rest follows (:func:`_is_abbreviation`)."""
    if not code:
        return True
    if not words or not words[0].startswith(code[0]):
        return False
    word, rest = words[0][1:], code[1:]
    for taken in range(len(rest) + 1):  # the first ``taken`` letters from this word, the rest from the next
        if not _is_subsequence(rest[:taken], word):
            return False
        if taken == len(rest) or _abbreviates(rest[taken:], words[1:]):
            return True
    return False


def _is_subsequence(letters: str, word: str) -> bool:
    remaining = iter(word)
    return all(char in remaining for char in letters)


def _ground_string(value: str, evidence: RequestEvidence) -> Grounding:
    text = normalise(value)
    if text and _TRUNCATED.search(value) and not _TRUNCATED.search(evidence.raw):
        return Grounding.INVENTED  # words cut off by "...": copied from a shortened description
    if not text:  # symbols only: no words to look for
        if value.strip() and value.lower() in evidence.raw:  # white space is in every request: not a span
            return Grounding.STATED
        return Grounding.CONVERTED if symbols_named(value, evidence) else Grounding.INVENTED
    if text in evidence.text or value.lower() in evidence.raw:
        return Grounding.STATED
    words = text.split()
    known = [word for word in words if evidence.has_word(word) or _is_number_word(word, evidence)]
    if len(known) == len(words):
        return Grounding.STATED
    unknown = [word for word in words if word not in known]
    if known and all(len(word) <= 3 for word in unknown):
        return Grounding.CONVERTED  # "Madrid,ES", "Paris, FR"
    if _CODE.match(value.strip()) and _is_abbreviation(value.strip(), evidence):
        return Grounding.CONVERTED
    if currency_code_stated(value, evidence.raw):
        return Grounding.CONVERTED  # "€" → "eur", "pounds" → "gbp"
    items = [item.strip() for item in value.split(",")]
    if len(items) > 1 and all(items):  # "USD,GBP,CHF" for "the dollar, pound and swiss franc"
        verdicts = [_ground_string(item, evidence) for item in items]
        if Grounding.INVENTED not in verdicts:
            return weakest(verdicts)
    return Grounding.INVENTED


def recombines_words(value: str, evidence: RequestEvidence, gap: int = 1) -> bool:
    """A text of several words, each of them the request's, that the request does not say in that order
    with at most ``gap`` words between them: the model composed it (``body="Upload a PNG file."`` for
    "file a bug …: crash when uploading a PNG", ``description="Event for 2025-06-20"`` for "an all-day
    event 'Company offsite' on my calendar for 2025-06-20"). A text the request says is a span of it."""
    text = normalise(value)
    words = text.split()
    if len(words) < 2 or " " not in value.strip() or text in evidence.text:
        return False  # one word, or a list of codes ("USD,GBP"), or a span
    said = evidence.text.split()
    for start, first in enumerate(said):
        position: int | None = start if same_word(words[0], first) else None
        for word in words[1:]:
            if position is None:
                break
            window = range(position + 1, min(position + 2 + gap, len(said)))
            position = next((index for index in window if same_word(word, said[index])), None)
        if position is not None:
            return False
    return True


def _is_number_word(word: str, evidence: RequestEvidence) -> bool:
    try:
        return evidence.has_number(float(word))
    except ValueError:
        return False


def _ground_choice(parameter: str, value: Any, evidence: RequestEvidence) -> Grounding:
    """An enum value or boolean: stated if the request uses its words (or, for a boolean, switches the
    parameter that way: :mod:`.flags`)."""
    if isinstance(value, bool):
        return Grounding.STATED if value in flag_values_said(parameter, evidence) else Grounding.INVENTED
    if _ground_string(str(value), evidence) is not Grounding.INVENTED:
        return Grounding.STATED
    return Grounding.INVENTED


def ground_value(parameter: str, value: Any, schema: dict[str, Any], evidence: RequestEvidence) -> Grounding:
    """How ``value`` of ``parameter`` (with its JSON ``schema``) relates to the request."""
    if isinstance(value, bool) or isinstance(schema.get("enum"), list):
        return _ground_choice(parameter, value, evidence)
    if isinstance(value, (int, float)):
        return Grounding.STATED if evidence.has_number(float(value)) else Grounding.INVENTED
    if isinstance(value, str):
        if DATE.search(value):
            if not dates_stated(value, evidence.raw):
                return Grounding.INVENTED if not _mentions_time(evidence) else Grounding.CONVERTED
            if date_time_stated(value, evidence.raw):
                return Grounding.CONVERTED  # a stated date and clock time in the parameter's format
        return _ground_string(value, evidence)
    if isinstance(value, list):
        if not value:
            return Grounding.INVENTED
        item_schema = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        verdicts = [ground_value(parameter, item, item_schema or {}, evidence) for item in value]
        return weakest(verdicts)
    if isinstance(value, dict):
        if not value:
            return Grounding.INVENTED
        properties = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}
        verdicts = [ground_value(k, v, properties.get(k, {}) or {}, evidence) for k, v in value.items()]
        return weakest(verdicts)
    return Grounding.INVENTED


_ORDER = [Grounding.STATED, Grounding.CONVERTED, Grounding.INVENTED]


def weakest(verdicts: list[Grounding]) -> Grounding:
    """The least supported of several parts' verdicts: what a list or object as a whole is."""
    return max(verdicts, key=_ORDER.index)


_TIME_WORDS = frozenset(
    [
        "today",
        "tomorrow",
        "yesterday",
        "tonight",
        "now",
        "week",
        "weekend",
        "month",
        "year",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "next",
        "last",
        "ago",
    ]
)


def _mentions_time(evidence: RequestEvidence) -> bool:
    return bool(evidence.words & _TIME_WORDS)
