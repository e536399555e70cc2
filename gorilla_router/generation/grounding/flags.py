"""Does the request switch a yes/no parameter on or off? The grounding of a boolean value.

A boolean is stated when the request names the parameter: its words ("the keys sorted" → ``sort_keys``),
or a word of it written as two ("url-safe" → ``urlsafe``, "time zone" → ``timezone``). Which way it is
switched is read from a negation just before the mention ("without touching quotes" → ``quote=False``,
"not archived" → ``archived=False``) and from the parameter's own negative word (``exclude_archived`` is
*on* for "not archived", ``no_cache`` for "skip the cache"). A value only the other way round is not
stated: ``sort_keys=True`` for "don't sort the keys" is the model's invention, as is ``urlsafe=False``
for "url-safe".

Words of three letters or fewer ("url", "tz", "raw") never count alone: they name too much.
"""

from __future__ import annotations

import re

from gorilla_router.generation.grounding.evidence import RequestEvidence, same_word, words_of

__all__ = ["flag_values_said"]

_NEGATIONS = frozenset({"no", "not", "without", "don", "doesn", "never", "nor", "excluding", "except", "non"})
_NEGATIVE_PARAMETER_WORDS = frozenset(
    {"exclude", "no", "not", "skip", "hide", "disable", "without", "ignore", "omit", "suppress"}
)
_LOOK_BACK = 3  # words before a mention a negation may stand ("without touching the quotes")


def _parameter_words(parameter: str) -> list[str]:
    return words_of(re.sub(r"([a-z])([A-Z])", r"\1 \2", parameter))


def _mentions(word: str, said: list[str]) -> list[int]:
    """Where ``word`` is in the request's words ``said``: as one word (or a form of it), or written as two."""
    found = [i for i, other in enumerate(said) if same_word(word, other)]
    found += [i for i in range(len(said) - 1) if said[i] + said[i + 1] == word]
    return sorted(found)


def _negated(position: int, said: list[str]) -> bool:
    return any(word in _NEGATIONS for word in said[max(0, position - _LOOK_BACK) : position])


def flag_values_said(parameter: str, evidence: RequestEvidence) -> frozenset[bool]:
    """The values of the boolean ``parameter`` the request says (empty when it does not name it).

    A negation before the parameter's first mentioned word turns the whole mention ("don't sort the
    keys"); the parameter's own negative word, when the request uses it, says ``True``.
    """
    said = evidence.text.split()  # "don't" is "don t" here
    words = _parameter_words(parameter)
    negative = bool(words) and words[0] in _NEGATIVE_PARAMETER_WORDS
    values: set[bool] = set()
    if negative and _mentions(words[0], said):
        values.add(True)  # "exclude archived", "skip the cache"
    content = words[1:] if negative else words
    positions = [p for word in content if len(word) >= 4 for p in _mentions(word, said)]
    if positions:
        on = not _negated(min(positions), said)
        values.add(on != negative)
    return frozenset(values)
