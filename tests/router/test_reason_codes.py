"""Every way a request can end carries a machine-readable reason, and ``plan`` reports the same one."""

from __future__ import annotations

import pytest

from gorilla_router import CallReason, CallStatus, GorillaRouter
from gorilla_router.errors import BackendError
from gorilla_router.generation.testing import TestModel

SQRT = "what is the square root of 16"


@pytest.mark.parametrize(
    ("query", "outputs", "status", "reason"),
    [
        ("tell me a joke", None, CallStatus.NO_CALL, CallReason.NO_SUITABLE_API),
        (SQRT, [[]], CallStatus.NO_CALL, CallReason.MODEL_DECLINED),
        (SQRT, ["sqrt of sixteen!!"], CallStatus.INVALID, CallReason.MODEL_OUTPUT_INVALID),
        (SQRT, [BackendError("server down")], CallStatus.ERROR, CallReason.BACKEND_ERROR),
        (SQRT, ['math.sqrt(x="lots")'], CallStatus.INVALID, CallReason.INVALID_ARGUMENTS),
        (SQRT, None, CallStatus.OK, CallReason.EXECUTED),
    ],
)
def test_run_and_plan_give_the_same_reason(
    query, outputs, status, reason, zoo, retriever, transport, config
) -> None:
    def router() -> GorillaRouter:
        backend = TestModel(outputs=list(outputs)) if outputs is not None else TestModel()
        return GorillaRouter(
            zoo=zoo, retriever=retriever, backend=backend, config=config, transports=transport
        )

    result = router().run(query)
    assert (result.status, result.reason) == (status, reason)
    plan = router().plan(query)
    planned = plan.calls[0].code if plan.calls else plan.no_call_code
    assert planned is reason


def test_hand_written_calls_say_unknown_api_or_invalid(zoo, retriever, transport, config) -> None:
    router = GorillaRouter(
        zoo=zoo, retriever=retriever, backend=TestModel(), config=config, transports=transport
    )
    assert router.execute("math.sqroot(x=4)").reason is CallReason.UNKNOWN_API
    assert router.execute("__import__('os').system('true')").reason is CallReason.INVALID_ARGUMENTS
    assert router.execute("math.sqrt(x='four')").reason is CallReason.INVALID_ARGUMENTS
