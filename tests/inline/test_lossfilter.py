"""Toolformer's loss filter over the scorer seam, with the copying fake scorer."""

from __future__ import annotations

import pytest

from gorilla_router.inline import CopyScorer, FilterItem, LossFilter, toolformer_weights
from gorilla_router.inline.lossfilter import weighted_loss


def test_weights_decay_and_sum_to_one() -> None:
    weights = toolformer_weights(8)
    assert weights[:5] == pytest.approx([5 / 15, 4 / 15, 3 / 15, 2 / 15, 1 / 15])
    assert weights[5:] == [0.0, 0.0, 0.0]
    assert toolformer_weights(0) == []
    assert weighted_loss([-1.0, -2.0]) == pytest.approx((5 * 1 + 4 * 2) / 9)


def test_keeps_a_result_the_text_repeats_and_drops_an_irrelevant_one() -> None:
    scorer = CopyScorer()
    loss_filter = LossFilter(scorer, threshold=1.0)
    copied, irrelevant = loss_filter.score(
        [
            FilterItem("The square root of 1521 is", "math.sqrt(x=1521)", "39", " 39 exactly."),
            FilterItem("The sky was", "hashlib.md5(text='sky')", "5d41402a", " grey and low."),
        ]
    )

    assert scorer.pairs_scored == 6  # one batched request: three variants per call
    assert copied.kept
    assert copied.improvement == pytest.approx(3.9 * 5 / 9)
    assert copied.loss_without_call == pytest.approx(4.0)
    assert not irrelevant.kept
    assert irrelevant.improvement == pytest.approx(0.0)
    assert irrelevant.model_dump()["kept"] is False  # plain data for a training-set builder


def test_the_call_without_its_result_is_a_baseline() -> None:
    """A call whose *arguments* already hold the answer is not kept for its result."""

    class ArgumentReader(CopyScorer):
        def continuation_logprobs(self, pairs):
            return [[-0.1] if "[" in prefix else [-4.0] for prefix, _ in pairs]

    (score,) = LossFilter(ArgumentReader()).score([FilterItem("It is", "echo(x=39)", "39", " 39.")])
    assert score.loss_call_only == pytest.approx(0.1)
    assert score.improvement == pytest.approx(0.0)
    assert not score.kept


def test_variants_put_the_call_in_front_as_the_paper_does() -> None:
    with_result, without, call_only = LossFilter(CopyScorer()).variants(
        FilterItem("The root is", "math.sqrt(x=4)", "2.0", " 2.")
    )
    assert with_result == ("[math.sqrt(x=4) → 2.0]\nThe root is", " 2.")
    assert without == ("The root is", " 2.")
    assert call_only == ("[math.sqrt(x=4) →]\nThe root is", " 2.")


def test_nothing_to_score_and_a_broken_scorer() -> None:
    assert LossFilter(CopyScorer()).score([]) == []

    class Short(CopyScorer):
        def continuation_logprobs(self, pairs):
            return []

    with pytest.raises(RuntimeError, match="returned 0 rows for 3 pairs"):
        LossFilter(Short()).score([FilterItem("a", "f()", "1", " b")])
