"""Grounding and the repair round through the router: plan and run agree, nothing invented goes out."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from gorilla_router import CallReason, CallStatus, GorillaRouter
from gorilla_router.generation.refine import Repairable
from gorilla_router.generation.testing import TestModel
from gorilla_router.specs import ApiCall, Candidate
from gorilla_router.zoo import ApiZoo

REFUND = "refund the customer's payment in full"


class EveryApi:
    """A retriever that offers the whole (two-entry) zoo, so the tests are about what happens after."""

    def __init__(self, zoo: ApiZoo) -> None:
        self.specs = zoo.specs

    def search(self, query: str, k: int = 5, filters: object = None) -> list[Candidate]:
        return [Candidate(spec=spec, score=1.0, rank=i + 1) for i, spec in enumerate(self.specs[:k])]


@pytest.fixture
def zoo() -> ApiZoo:
    bundled = ApiZoo.bundled()
    return ApiZoo([bundled.get("stripe.refunds.create"), bundled.get("math.sqrt")])


@pytest.fixture
def retriever(zoo: ApiZoo) -> EveryApi:
    return EveryApi(zoo)


def make_router(zoo, retriever, transport, config, backend, **kwargs) -> GorillaRouter:
    return GorillaRouter(
        zoo=zoo, retriever=retriever, backend=backend, config=config, transports=transport, **kwargs
    )


def test_a_write_call_with_an_invented_id_is_needs_input_and_never_sent(
    zoo, retriever, transport, config
) -> None:
    model = TestModel(outputs=['stripe.refunds.create(payment_intent="pi_123abc", amount=1999)'] * 2)
    router = make_router(zoo, retriever, transport, config, model, confirm=lambda *_: True)
    plan = router.plan(REFUND)
    assert [m.parameter for m in plan.missing] == ["payment_intent"]
    assert plan.calls[0].decision == "needs_input"
    result = router.run(REFUND)
    assert result.status is CallStatus.NEEDS_INPUT
    assert result.reason is CallReason.NEEDS_INPUT
    assert [m.parameter for m in result.missing] == ["payment_intent"]
    assert "payment_intent" in (result.error or "")
    assert transport["rest"].calls == []


def test_invented_optional_values_are_dropped_before_sending(zoo, retriever, transport, config) -> None:
    query = "refund payment pi_3MtwBwLkdIwHu7ix28a3tqPa in full"
    model = TestModel(
        outputs=[
            'stripe.refunds.create(payment_intent="pi_3MtwBwLkdIwHu7ix28a3tqPa", amount=1999, '
            'reason="duplicate")'
        ]
    )
    router = make_router(zoo, retriever, transport, config, model, confirm=lambda *_: True)
    result = router.run(query)
    assert result.status is CallStatus.OK
    ((sent, _),) = transport["rest"].calls
    assert sent.arguments == {"payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa"}


def test_grounding_can_be_switched_off(zoo, retriever, transport, config) -> None:
    model = TestModel(outputs=['stripe.refunds.create(payment_intent="pi_123abc")'])
    router = make_router(
        zoo,
        retriever,
        transport,
        config.model_copy(update={"ground_arguments": False}),
        model,
        confirm=lambda *_: True,
    )
    assert router.run(REFUND).status is CallStatus.OK


class RepairingModel(TestModel):
    """Writes a broken call first; when told what is wrong, writes the fixed one."""

    def __init__(self, first: str, fixed: str) -> None:
        super().__init__(outputs=[first])
        self.fixed = fixed
        self.problems: list[str] = []

    def repair(
        self, query: str, candidates: Sequence[Candidate], call: ApiCall, problem: str
    ) -> list[ApiCall]:
        self.problems.append(problem)
        return TestModel(outputs=[self.fixed]).generate(query, candidates)


def test_one_repair_round_fixes_a_rejected_call(zoo, retriever, transport, config) -> None:
    model = RepairingModel('math.sqrt(x="sixteen")', "math.sqrt(x=16)")
    assert isinstance(model, Repairable)
    result = make_router(zoo, retriever, transport, config, model).run("what is the square root of 16")
    assert result.status is CallStatus.OK
    assert [call.arguments for call, _ in transport["python"].calls] == [{"x": 16}]
    assert len(model.problems) == 1
    assert "x" in model.problems[0]


def test_a_call_still_broken_after_the_repair_is_invalid(zoo, retriever, transport, config) -> None:
    model = RepairingModel('math.sqrt(x="sixteen")', 'math.sqrt(x="still not a number")')
    result = make_router(zoo, retriever, transport, config, model).run("what is the square root of 16")
    assert result.status is CallStatus.INVALID
    assert len(model.problems) == 1
    assert transport["python"].calls == []


def test_an_invalid_placeholder_for_a_value_the_user_must_give_is_needs_input(
    zoo, retriever, transport, config
) -> None:
    """The model wrote a placeholder that even fails the schema: the answer is to ask, not "invalid"."""
    model = TestModel(outputs=['stripe.refunds.create(payment_intent="payment_intent_id")'])
    result = make_router(zoo, retriever, transport, config, model, confirm=lambda *_: True).run(REFUND)
    assert result.status is CallStatus.NEEDS_INPUT
    assert [m.parameter for m in result.missing] == ["payment_intent"]
    assert transport["rest"].calls == []


def test_an_invalid_invented_optional_value_is_dropped_not_repaired(
    zoo, retriever, transport, config
) -> None:
    """Grounding comes first: the value that breaks the call was never asked for, so it goes."""
    query = "refund payment pi_3MtwBwLkdIwHu7ix28a3tqPa"
    model = RepairingModel(
        'stripe.refunds.create(payment_intent="pi_3MtwBwLkdIwHu7ix28a3tqPa", reason="no reason", amount=-3)',
        'stripe.refunds.create(payment_intent="pi_3MtwBwLkdIwHu7ix28a3tqPa", reason="duplicate")',
    )
    result = make_router(zoo, retriever, transport, config, model, confirm=lambda *_: True).run(query)
    assert result.status is CallStatus.OK
    assert model.problems == []
    ((sent, _),) = transport["rest"].calls
    assert sent.arguments == {"payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa"}


def test_calls_equal_once_grounded_run_once(zoo, retriever, transport, config) -> None:
    """Two calls that differ only in invented (dropped) values are one call: a write API is not sent twice."""
    query = "refund payment pi_3MtwBwLkdIwHu7ix28a3tqPa in full"
    intent = "pi_3MtwBwLkdIwHu7ix28a3tqPa"
    refund = "stripe.refunds.create"
    twice = [
        ApiCall(api_id=refund, arguments={"payment_intent": intent, "amount": 1999}),
        ApiCall(api_id=refund, arguments={"payment_intent": intent, "reason": "fraud"}),
    ]
    model = TestModel(outputs=[twice, twice])
    router = make_router(zoo, retriever, transport, config, model, confirm=lambda *_: True)
    assert [c.call.arguments for c in router.plan(query).calls] == [{"payment_intent": intent}]
    results = router.run_all(query)
    assert [r.status for r in results] == [CallStatus.OK]
    ((sent, _),) = transport["rest"].calls
    assert sent.arguments == {"payment_intent": intent}


def test_a_later_call_the_request_gives_no_values_for_is_left_out(transport, config) -> None:
    bundled = ApiZoo.bundled()
    zoo = ApiZoo([bundled.get("slack.conversations.list"), bundled.get("slack.chat.delete")])
    first = ApiCall(api_id="slack.conversations.list", arguments={"types": "public_channel,private_channel"})
    later = ApiCall(api_id="slack.chat.delete", arguments={"channel": "C0123456789", "ts": "1634567890"})
    model = TestModel(outputs=[[first, later]])
    router = make_router(zoo, EveryApi(zoo), transport, config, model)
    plan = router.plan("show public and private slack channels")
    assert [c.call.api_id for c in plan.calls] == ["slack.conversations.list"]
    assert plan.missing == []


def test_a_later_call_with_a_stated_value_is_kept(transport, config) -> None:
    bundled = ApiZoo.bundled()
    zoo = ApiZoo([bundled.get("math.sqrt"), bundled.get("math.factorial")])
    calls = [
        ApiCall(api_id="math.sqrt", arguments={"x": 16}),
        ApiCall(api_id="math.factorial", arguments={"n": 5}),
    ]
    model = TestModel(outputs=[calls])
    router = make_router(zoo, EveryApi(zoo), transport, config, model)
    plan = router.plan("the square root of 16 and the factorial of 5")
    assert [c.call.api_id for c in plan.calls] == ["math.sqrt", "math.factorial"]
