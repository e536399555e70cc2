"""Prompt-lookup drafts change how many passes a value takes, never which text is written."""

from __future__ import annotations

import pytest

from gorilla_router.generation.constrained import torch_chooser
from gorilla_router.generation.constrained.testing import CharTokenizer
from gorilla_router.generation.constrained.torch_chooser import TorchChooser, _draft
from gorilla_router.generation.toolcall.scanners import StringScanner

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def chooser(tiny_qwen2) -> TorchChooser:
    return TorchChooser(tiny_qwen2(128, seed=3), CharTokenizer())


class FiveCharacters(StringScanner):
    """Ends after five characters, so the value completes in the middle of a draft."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def feed(self, piece: str) -> str | None:
        self.seen += len(piece)
        return piece[: len(piece) - (self.seen - 5)] if self.seen >= 5 else None


def written(chooser: TorchChooser, scanner: StringScanner) -> tuple[str, int, torch.Tensor, str]:
    state = chooser.start("You copy values. ", 'The request: say "hello there" now. Answer: "')
    text, after = chooser.generate_until(state, scanner, 12)
    return text, after.length, after.next_logprobs, after.pending


def test_draft_follows_the_latest_occurrence_of_the_longest_tail() -> None:
    source = [5, 6, 7, 8, 1, 6, 7, 9, 2]
    assert _draft(source, [6, 7], 3) == [9, 2]
    assert _draft(source, [5, 6, 7], 3) == [8, 1, 6]
    assert _draft(source, [42], 3) == []
    assert _draft(source, [7], 0) == []


@pytest.mark.parametrize("scanner", [StringScanner, FiveCharacters])
@pytest.mark.parametrize("drafts", ["oracle", "wrong"])
def test_drafted_text_and_state_equal_the_plain_greedy_ones(chooser, monkeypatch, drafts, scanner) -> None:
    monkeypatch.setattr(torch_chooser, "_DRAFT_TOKENS", 0)
    plain_steps = chooser.steps
    plain = written(chooser, scanner())
    plain_steps = chooser.steps - plain_steps
    greedy = CharTokenizer()(plain[0])["input_ids"]

    def oracle(source, done, limit, longest=3):  # the model's own continuation: every token accepted
        return greedy[len(done) : len(done) + limit]

    def wrong(source, done, limit, longest=3):  # never what the model writes: every token rejected
        return [(t + 1) % 128 for t in greedy[len(done) : len(done) + limit]]

    monkeypatch.setattr(torch_chooser, "_DRAFT_TOKENS", 8)
    monkeypatch.setattr(torch_chooser, "_draft", oracle if drafts == "oracle" else wrong)
    steps = chooser.steps
    drafted = written(chooser, scanner())
    steps = chooser.steps - steps
    assert drafted[0] == plain[0]
    assert drafted[1] == plain[1]
    assert drafted[3] == plain[3]
    assert torch.allclose(drafted[2], plain[2], atol=1e-4)
    if drafts == "oracle" and len(greedy) > 2:
        assert steps < plain_steps
