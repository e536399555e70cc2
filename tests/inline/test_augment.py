"""``router.augment`` with the copying fake scorer and a scripted backend: positions, calls, guard, filter."""

from __future__ import annotations

import json

import pytest
from conftest import EveryApi, python_tool, rest_tool

from gorilla_router import ApiCall, CallReason, CallStatus, GorillaRouter, RouterConfig
from gorilla_router.execution import RecordingExecutor
from gorilla_router.generation.testing import TestModel
from gorilla_router.inline import CopyScorer

SQRT = python_tool("math.sqrt", "math:sqrt", kind="number")
MD5 = python_tool("hashlib.md5", "inline_toolbox:shout", param="text", kind="string")
ORDER = rest_tool("shop.order", "POST", "write")
PASSAGE = "The square root of 1521 is 39. The sky over 2 harbours was grey. We ordered 3 lamps."


def _writer(query: str, candidates) -> list[ApiCall]:
    """The scripted model: a call per sentence, one of them outside the candidates."""
    if "square root" in query:
        return [ApiCall(api_id="math.sqrt", arguments={"x": 1521})]
    if "sky" in query:
        return [ApiCall(api_id="hashlib.md5", arguments={"text": "sky"})]
    return [ApiCall(api_id="shop.order", arguments={"item": "lamp"})]


@pytest.fixture
def sent() -> dict[str, RecordingExecutor]:
    return {
        "rest": RecordingExecutor(),
        "python": RecordingExecutor({"math.sqrt": 39, "hashlib.md5": "5d41"}),
    }


@pytest.fixture
def router(config: RouterConfig, sent: dict[str, RecordingExecutor]) -> GorillaRouter:
    return GorillaRouter(
        zoo=[SQRT, MD5, ORDER],
        retriever=EveryApi([SQRT, MD5, ORDER]),
        backend=TestModel(function=_writer),
        config=config,
        transports=sent,
    )


def test_augment_keeps_the_call_whose_result_the_text_repeats(router: GorillaRouter, sent) -> None:
    scorer = CopyScorer()
    augmented = router.augment(PASSAGE, scorer=scorer)

    assert augmented.text == (
        "The square root of 1521 is [math.sqrt(x=1521) → 39] 39. The sky over 2 harbours was grey. "
        "We ordered 3 lamps."
    )
    sqrt, md5, order = augmented.calls
    assert (sqrt.query, sqrt.reason, sqrt.kept) == ("The square root of 1521 is", CallReason.EXECUTED, True)
    assert (md5.reason, md5.kept, md5.score is not None) == (CallReason.EXECUTED, False, True)
    assert md5.score is not None
    assert md5.score.improvement == pytest.approx(0.0)
    assert order.reason is CallReason.NEEDS_CONFIRMATION
    assert order.score is None
    assert sent["python"].api_ids == ["math.sqrt", "hashlib.md5"]  # each proposed call ran once, none re-ran
    assert sent["rest"].calls == []
    assert scorer.pairs_scored == 6
    assert set(augmented.timings) >= {"positions", "retrieve", "generate", "execute", "filter", "total"}


def test_training_records_are_plain_json(router: GorillaRouter) -> None:
    (record,) = router.augment(PASSAGE, scorer=CopyScorer()).training_records()
    assert record["text"].startswith("The square root of 1521 is [math.sqrt(x=1521) → 39] 39.")
    assert record["api_id"] == "math.sqrt"
    assert record["kept"] is True
    assert record["improvement"] >= record["threshold"] == 1.0
    json.dumps(record)


def test_threshold_and_call_budget(router: GorillaRouter) -> None:
    strict = router.augment(PASSAGE, scorer=CopyScorer(), filter_threshold=10.0)
    assert strict.text == PASSAGE
    assert strict.kept == []
    one = router.augment(PASSAGE, scorer=CopyScorer(), max_calls=1)
    assert len(one.calls) == 1
    none = router.augment(PASSAGE, scorer=CopyScorer(), position_threshold=0.9)
    assert none.calls == []
    assert none.text == PASSAGE
    with pytest.raises(TypeError, match="unknown augment option"):
        router.augment(PASSAGE, scorer=CopyScorer(), threshold=1.0)


def test_only_offered_zoo_apis_can_be_inserted(config: RouterConfig) -> None:
    recording = {"rest": RecordingExecutor(), "python": RecordingExecutor()}
    rogue = TestModel(function=lambda q, c: [ApiCall(api_id="os.system", arguments={"command": "x"})])
    router = GorillaRouter(
        zoo=[SQRT], retriever=EveryApi([SQRT]), backend=rogue, config=config, transports=recording
    )
    (call,) = router.augment("The square root of 1521 is 39.", scorer=CopyScorer()).calls
    assert call.reason is CallReason.MODEL_OUTPUT_INVALID
    assert "os.system" in (call.error or "")
    assert recording["python"].calls == []


def test_user_written_calls_are_annotated_and_inserted_ones_not_rerun(router: GorillaRouter, sent) -> None:
    augmented = router.augment("The square root of 1521 is 39. Also [sqrt(4)].", scorer=CopyScorer())
    assert "[math.sqrt(x=1521) → 39] 39." in augmented.text
    assert augmented.text.endswith("Also [sqrt(4) → 39].")
    assert [s.call_text for s in augmented.annotated.spans] == ["sqrt(4)"]
    assert sent["python"].api_ids == ["math.sqrt", "math.sqrt"]


def test_no_candidate_and_declined(config: RouterConfig) -> None:
    recording = {"rest": RecordingExecutor(), "python": RecordingExecutor()}
    quiet = GorillaRouter(
        zoo=[SQRT],
        retriever=EveryApi([]),
        backend=TestModel(outputs=[""]),
        config=config,
        transports=recording,
    )
    (call,) = quiet.augment("The square root of 1521 is 39.", scorer=CopyScorer()).calls
    assert call.reason is CallReason.NO_SUITABLE_API
    assert call.status is None

    declining = GorillaRouter(
        zoo=[SQRT],
        retriever=EveryApi([SQRT]),
        backend=TestModel(outputs=[""]),
        config=config,
        transports=recording,
    )
    (call,) = declining.augment("The square root of 1521 is 39.", scorer=CopyScorer()).calls
    assert call.reason is CallReason.MODEL_DECLINED
    assert call.status is not CallStatus.OK
