"""The loss filter and call positions on the real embedded model (Gemma 3 270M, converted once, offline)."""

from __future__ import annotations

import math

import pytest

from gorilla_router.inline import TEACH_PROMPT, FilterItem, LossFilter

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def backend():
    from gorilla_router.generation.embedded import embedded_backend

    return embedded_backend("gemma-270m")  # the filter's threshold 1.0 was measured on this rung


@pytest.fixture(scope="module")
def scorer(backend):
    from gorilla_router.inline.hf_scorer import HfScorer

    return HfScorer.for_backend(backend)


def test_the_scorer_shares_the_backends_loaded_model(backend, scorer) -> None:
    assert scorer.loaded() is backend.loaded()


def test_keeps_a_copied_result_and_drops_an_irrelevant_one(scorer) -> None:
    copied, irrelevant = LossFilter(scorer, threshold=1.0).score(
        [
            FilterItem(
                "7 factorial is",
                "math.factorial(n=7)",
                "5040",
                " 5040, the number of orderings of seven books.",
            ),
            FilterItem(
                "7 factorial is",
                "hashlib.md5(text='sky')",
                "0d3fda0bdbb9d619d09a0d3f1e6d1b0b",
                " 5040, the number of orderings of seven books.",
            ),
        ]
    )
    assert copied.kept, copied
    assert copied.loss_with_result < copied.loss_without_call - 1.0
    assert not irrelevant.kept, irrelevant
    assert abs(irrelevant.improvement) < 0.5


def test_scores_match_an_unbatched_forward_pass(scorer) -> None:
    import torch

    entry = scorer.loaded()
    prefix, continuation = "The capital of France is", " Paris, a city on the Seine."
    (batched, _) = scorer.continuation_logprobs([(prefix, continuation), ("A much longer prefix " * 5, "x")])
    head = entry.tokenizer(prefix)["input_ids"]
    tail = entry.tokenizer(continuation, add_special_tokens=False)["input_ids"]
    with torch.inference_mode():
        logits = entry.model(input_ids=torch.tensor([head + tail])).logits[0].float()
    reference = torch.log_softmax(logits, -1)
    expected = [float(reference[len(head) - 1 + k, tail[k]]) for k in range(len(tail))]
    assert batched == pytest.approx(expected, abs=0.15)  # bf16: padding changes rounding, not meaning


def test_the_teach_prompt_puts_a_call_before_the_answer(scorer) -> None:
    text = "The square root of 1521 is 39. It rained all day."
    boundaries = scorer.marker_logprobs(TEACH_PROMPT.replace("{text}", text), " " + text, " [")
    offset, logprob = max(boundaries, key=lambda pair: pair[1])
    assert text[: offset - 1].endswith("1521 is")
    assert math.exp(logprob) > 0.05
