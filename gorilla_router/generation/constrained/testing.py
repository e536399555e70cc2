"""A scripted :class:`~.chooser.Chooser` for tests: it "wants" to write a given text, and no model runs.

``ScriptedChooser(target)`` scores an option by how far it follows ``target`` from the text written so
far: an option that continues the target scores its length, one that leaves it scores ``-10``, so the
decoder's grammar decides what is *possible* and the script decides what is *likely*. ``bias`` adds a
fixed score to given options (e.g. make ``" none()"`` attractive). Its state is just the text so far.

``CharTokenizer`` is the tokenizer side of a tiny test model: one token per ASCII character.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from gorilla_router.generation.constrained.chooser import Choice, TextScanner

__all__ = ["CharTokenizer", "ScriptedChooser"]


class CharTokenizer:
    """One token per ASCII character (enough for a tiny random model that only has to be deterministic)."""

    pad_token_id = 0
    bos_token_id = None
    eos_token_id = 1
    all_special_ids = (0, 1)

    def __call__(self, text: str, add_special_tokens: bool = False) -> dict[str, list[int]]:
        return {"input_ids": [ord(c) % 128 for c in text]}

    def decode(self, ids: list[int]) -> str:
        return "".join(chr(i) for i in ids)


@dataclass
class ScriptedChooser:
    target: str
    bias: Mapping[str, float] = field(default_factory=dict)
    calls: int = 0

    def extend(self, state: str, text: str) -> str:
        return state + text

    def commit(self, state: str) -> str:
        return state  # text has no tokens here: nothing to run

    def score(self, state: str, option: str) -> float:
        text = state + option
        base = float(len(option)) if self.target.startswith(text) else -10.0
        return base + self.bias.get(option, 0.0)

    def choose(self, state: str, options: Sequence[str], follow: Sequence[str] = ()) -> Choice[str]:
        if not options:
            raise ValueError("choose() needs at least one option")
        self.calls += 1
        scores = tuple(self.score(state, option) for option in options)
        best = max(range(len(options)), key=scores.__getitem__)
        return Choice(best, scores, state + options[best], tuple(max(1, len(o)) for o in options))

    def free_text(self, state: str, stop: str, max_tokens: int) -> tuple[str, str]:
        rest = self.target[len(state) :] if self.target.startswith(state) else ""
        text = rest.split(stop, 1)[0][: max_tokens * 4]
        return text, state + text

    def generate_until(self, state: str, scanner: TextScanner, max_tokens: int) -> tuple[str, str]:
        """Write the target's next characters a "token" at a time (up to 3 word characters, or one sign)."""
        rest = self.target[len(state) :] if self.target.startswith(state) else ""
        text = ""
        for piece in re.findall(r" ?\w{1,3}| ?[^\w ]| ", rest)[:max_tokens]:
            if not scanner.allows(piece):
                break
            kept = scanner.feed(piece)
            if kept is not None:
                return text + kept, state + text + kept
            text += piece
        return text, state + text
