"""The noisy-channel scores: exact log-likelihoods, cached prefixes, and the evidence they give."""

from __future__ import annotations

import pytest

from gorilla_router.generation.constrained.testing import CharTokenizer
from gorilla_router.generation.toolcall.channel import (
    NEUTRAL_PREFIX,
    ChannelEvidence,
    channel_evidence,
    channel_prefix,
    focus,
)
from gorilla_router.specs import ApiSpec

torch = pytest.importorskip("torch")


def _separately(model, prefix: str, text: str) -> float:
    ids = [ord(c) % 128 for c in prefix + text]
    with torch.no_grad():
        logprobs = model(input_ids=torch.tensor([ids])).logits[0].float().log_softmax(-1)
    return sum(float(logprobs[len(prefix) + j - 1, ids[len(prefix) + j]]) for j in range(len(text)))


def test_a_long_request_is_scored_in_slices_with_the_same_result(tiny_qwen2) -> None:
    """More request tokens than one projection slice (``_SCORED_ROWS``): the same scores as whole runs."""
    from gorilla_router.generation.constrained import torch_chooser
    from gorilla_router.generation.constrained.torch_chooser import TorchChooser

    model = tiny_qwen2(128, seed=6)
    chooser = TorchChooser(model, CharTokenizer())
    prefixes = ["Function a: adds two numbers.\nRequest: ", NEUTRAL_PREFIX]
    text = "please add 2 and 3, then tell me the sum of them all"
    assert len(text) > 2 * torch_chooser._SCORED_ROWS
    scores = chooser.continuation_logprobs(prefixes, text)
    for prefix, score in zip(prefixes, scores, strict=True):
        assert score == pytest.approx(_separately(model, prefix, text), abs=1e-4)


def test_batched_cached_scores_equal_separate_runs(tiny_qwen2) -> None:
    from gorilla_router.generation.constrained.torch_chooser import TorchChooser

    model = tiny_qwen2(128, seed=5)
    chooser = TorchChooser(model, CharTokenizer())
    prefixes = ["Function a: adds two numbers.\nRequest: ", "Function bb: x\nRequest: ", NEUTRAL_PREFIX]
    text = "add 2 and 3"
    scores = chooser.continuation_logprobs(prefixes, text)
    for prefix, score in zip(prefixes, scores, strict=True):
        assert score == pytest.approx(_separately(model, prefix, text), abs=1e-4)
    steps = chooser.steps
    again = chooser.continuation_logprobs(prefixes[::-1], "x")
    assert chooser.steps == steps + 1  # the prefixes came from the cache: one pass for the request
    for prefix, score in zip(prefixes[::-1], again, strict=True):
        assert score == pytest.approx(_separately(model, prefix, "x"), abs=1e-4)


class Recording:
    def __init__(self, scores: list[float]) -> None:
        self.scores = scores
        self.asked: list[tuple[list[str], str]] = []

    def continuation_logprobs(self, prefixes, text):
        self.asked.append((list(prefixes), text))
        return self.scores


def _spec(api_id: str, description: str) -> ApiSpec:
    return ApiSpec(
        id=api_id,
        name=api_id,
        description=description,
        kind="python",
        callable="math:sqrt",
        parameters={"type": "object", "properties": {}},
    )


def test_evidence_scores_each_candidate_and_a_neutral_baseline() -> None:
    specs = [_spec("calendar.isleap", "Is a year a leap year?"), _spec("math.sqrt", "Square root.")]
    scorer = Recording([-12.0, -30.0, -20.0])
    evidence = channel_evidence(scorer, "  was 1900 a leap year ", specs)
    assert evidence == ChannelEvidence((-12.0, -30.0), -20.0)
    assert evidence.relevance == 8.0
    ((prefixes, text),) = scorer.asked
    assert text == "was 1900 a leap year"
    assert prefixes == [channel_prefix(specs[0]), channel_prefix(specs[1]), NEUTRAL_PREFIX]
    assert prefixes[0] == (
        "Function calendar.isleap: Is a year a leap year?\nA user request this function serves: "
    )
    assert channel_evidence(scorer, "   ", specs).relevance == 0.0
    assert len(scorer.asked) == 1  # an empty request asks the model nothing


@pytest.mark.parametrize(
    ("scores", "count", "kept"),
    [
        ((-5.0, -1.0, -9.0, -2.0, -7.0), 3, [0, 1, 3]),  # the three best, in retrieval order
        ((-5.0, -1.0, -9.0, -2.0, -7.0), 1, [1]),
        ((-3.0, -3.0, -3.0), 2, [0, 1]),  # ties go to the earlier candidate
        ((-5.0, -1.0), 0, [0, 1]),  # 0: all
        ((-5.0, -1.0), 5, [0, 1]),  # more than there are: all
        ((), 3, []),
    ],
)
def test_focus_keeps_the_best_read_candidates_in_their_order(
    scores: tuple[float, ...], count: int, kept: list[int]
) -> None:
    assert focus(ChannelEvidence(scores, -4.0), count) == kept


def test_kept_evidence_has_the_same_relevance() -> None:
    evidence = ChannelEvidence((-5.0, -1.0, -9.0, -2.0), -4.0)
    kept = evidence.keep(focus(evidence, 2))
    assert kept == ChannelEvidence((-1.0, -2.0), -4.0)
    assert kept.relevance == evidence.relevance == 3.0
