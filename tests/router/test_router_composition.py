"""GorillaRouter's composition logic with fakes: TestModel, a word-overlap retriever, recording transports.

The validate → guard → dry-run stack is the real one from ``gorilla_router.execution``; only the final
dispatch is recorded instead of sent, so these tests prove what would and would not have gone out.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from gorilla_router import CallStatus, GorillaRouter, RouterConfig
from gorilla_router.errors import BackendError, GenerationError, UnknownBackendError, UsageError
from gorilla_router.execution import RecordingExecutor
from gorilla_router.generation.testing import TestModel
from gorilla_router.specs import ApiCall


def make_router(zoo, retriever, transport, config, backend=None, **kwargs) -> GorillaRouter:
    return GorillaRouter(
        zoo=zoo,
        retriever=retriever,
        backend=backend or TestModel(),
        config=config,
        transports=transport,
        **kwargs,
    )


def test_run_retrieves_generates_validates_and_executes(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config)
    result = router.run("what is the square root of 16")
    assert result.status is CallStatus.OK
    assert result.call is not None
    assert result.call.api_id == "math.sqrt"
    assert result.call.arguments == {"x": 16}
    assert next(c.spec.id for c in result.candidates) == "math.sqrt"
    assert {"retrieve", "generate", "execute", "total"} <= set(result.timings)
    assert all(seconds >= 0 for seconds in result.timings.values())
    assert [call.api_id for call, _ in transport["python"].calls] == ["math.sqrt"]
    assert transport["rest"].calls == []


def test_a_query_no_api_fits_is_no_call_and_the_model_is_not_asked(zoo, retriever, transport, config) -> None:
    model = TestModel()
    router = make_router(zoo, retriever, transport, config, backend=model)
    result = router.run("tell me a joke")
    assert result.status is CallStatus.NO_CALL
    assert result.call is None
    assert "no suitable API" in (result.error or "")
    assert model.prompts == []
    assert transport["python"].calls == []
    assert transport["rest"].calls == []


def test_low_similarity_is_no_call_naming_the_threshold(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config.model_copy(update={"min_score": 0.9}))
    result = router.run("square root of a number please friend")
    assert result.status is CallStatus.NO_CALL
    assert "math.sqrt" in (result.error or "")
    assert "threshold 0.90" in (result.error or "")


def test_the_models_no_call_becomes_no_call(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config, backend=TestModel(outputs=[[]]))
    result = router.run("what is the square root of 16")
    assert result.status is CallStatus.NO_CALL
    assert "none of the candidates fits" in (result.error or "")
    assert "math.sqrt" in (result.error or "")
    assert next(c.spec.id for c in result.candidates) == "math.sqrt"


def test_unusable_model_output_is_invalid_and_quoted(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config, backend=TestModel(outputs=["sqrt of sixteen!!"]))
    result = router.run("what is the square root of 16")
    assert result.status is CallStatus.INVALID
    assert "could not be used" in (result.error or "")
    assert "sqrt of sixteen" in (result.error or "")
    assert transport["python"].calls == []


def test_backend_failure_is_an_error_result(zoo, retriever, transport, config) -> None:
    router = make_router(
        zoo, retriever, transport, config, backend=TestModel(outputs=[BackendError("server down")])
    )
    result = router.run("what is the square root of 16")
    assert result.status is CallStatus.ERROR
    assert "server down" in (result.error or "")


class _Hallucinator:
    """A broken backend that ignores the candidates: the router must refuse its call, not run it."""

    name = "hallucinator"

    def generate(self, query, candidates):
        return [ApiCall(api_id="os.system", arguments={"command": "rm -rf /"})]


def test_an_api_outside_the_candidates_is_never_executed(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config, backend=_Hallucinator())
    result = router.run("what is the square root of 16")
    assert result.status is CallStatus.INVALID
    assert "'os.system'" in (result.error or "")
    assert "not a candidate" in (result.error or "")
    assert transport["python"].calls == []
    assert transport["rest"].calls == []


def test_invalid_arguments_are_refused_before_dispatch(zoo, retriever, transport, config) -> None:
    bad = TestModel(outputs=['math.sqrt(x="sqrt of 3342398")'])
    result = make_router(zoo, retriever, transport, config, backend=bad).run("square root of 3342398")
    assert result.status is CallStatus.INVALID
    assert "'x'" in (result.error or "")
    assert transport["python"].calls == []


ORDER = "order two burgers from McDonald's"


def test_a_write_call_without_confirmation_is_denied_and_says_how(zoo, retriever, transport, config) -> None:
    result = make_router(zoo, retriever, transport, config).run(ORDER)
    assert result.status is CallStatus.DENIED
    assert result.call is not None
    assert result.call.api_id == "uber.eat.order"
    assert "confirm" in (result.error or "").lower()
    assert transport["rest"].calls == []


def test_a_declined_confirmation_is_not_executed(zoo, retriever, transport, config) -> None:
    asked = []

    def decline(call, spec, reason):
        asked.append((call.api_id, reason))
        return False

    result = make_router(zoo, retriever, transport, config, confirm=decline).run(ORDER)
    assert result.status is CallStatus.DENIED
    assert asked
    assert asked[0][0] == "uber.eat.order"
    assert "declined" in (result.error or "").lower() or "not confirmed" in (result.error or "").lower()
    assert transport["rest"].calls == []


def test_confirmed_and_assume_yes_calls_are_executed(zoo, retriever, transport, config) -> None:
    result = make_router(zoo, retriever, transport, config, confirm=lambda *_: True).run(ORDER)
    assert result.status is CallStatus.OK
    yes = config.model_copy(update={"assume_yes": True})
    assert make_router(zoo, retriever, transport, yes).run(ORDER).status is CallStatus.OK
    sent = [call.arguments for call, _ in transport["rest"].calls]
    assert sent == [{"restaurants": ["McDonald's"], "items": ["burger"], "quantities": [2]}] * 2


def test_destructive_calls_are_denied_even_with_assume_yes(zoo, retriever, transport, config) -> None:
    yes = config.model_copy(update={"assume_yes": True})
    result = make_router(zoo, retriever, transport, yes).run("cancel food order 7f3c")
    assert result.status is CallStatus.DENIED
    allowed = yes.model_copy(update={"allow": ["uber.eat.cancel_order"]})
    assert (
        make_router(zoo, retriever, transport, allowed).run("cancel food order 7f3c").status is CallStatus.OK
    )


def test_dry_run_previews_and_sends_nothing(zoo, retriever, transport, config) -> None:
    dry = config.model_copy(update={"dry_run": True})
    result = make_router(zoo, retriever, transport, dry).run(ORDER)
    assert result.status is CallStatus.DRY_RUN
    assert result.request is not None
    assert result.request["api_id"] == "uber.eat.order"
    assert transport["rest"].calls == []


def test_plan_shows_calls_and_decisions_without_executing(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config)
    sqrt = router.plan("what is the square root of 16")
    assert [p.decision for p in sqrt.calls] == ["execute"]
    assert sqrt.executable
    assert not sqrt.no_call
    order = router.plan(ORDER)
    assert order.calls[0].decision == "ask"
    assert "write" in order.calls[0].reason
    cancel = router.plan("cancel food order 7f3c")
    assert cancel.calls[0].decision == "deny"
    joke = router.plan("tell me a joke")
    assert joke.no_call
    assert "no suitable API" in (joke.no_call_reason or "")
    assert {"retrieve", "total"} <= set(order.timings)
    assert transport["python"].calls == []
    assert transport["rest"].calls == []


def test_plan_reports_invalid_arguments_one_per_problem(zoo, retriever, transport, config) -> None:
    bad = TestModel(outputs=['uber.eat.order(restaurants="McDonald\'s", quantities=["two"])'])
    plan = make_router(zoo, retriever, transport, config, backend=bad).plan(ORDER)
    planned = plan.calls[0]
    assert planned.decision == "invalid"
    assert any("items" in e for e in planned.errors)
    assert any("quantities" in e for e in planned.errors)


def test_plan_in_dry_run_mode_says_dry_run(zoo, retriever, transport, config) -> None:
    plan = make_router(zoo, retriever, transport, config.model_copy(update={"dry_run": True})).plan(
        "what is the square root of 16"
    )
    assert plan.calls[0].decision == "dry_run"


def test_execute_accepts_call_strings_and_objects(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config)
    assert router.execute("math.sqrt(x=81)").status is CallStatus.OK
    assert router.execute(ApiCall(api_id="math.sqrt", arguments={"x": 4})).status is CallStatus.OK
    assert [c.arguments for c, _ in transport["python"].calls] == [{"x": 81}, {"x": 4}]
    unknown = router.execute("math.sqroot(x=4)")
    assert unknown.status is CallStatus.INVALID
    assert "math.sqrt" in (unknown.error or "")
    garbage = router.execute("__import__('os').system('true')")
    assert garbage.status is CallStatus.INVALID
    assert len(transport["python"].calls) == 2


def test_run_executes_the_first_call_and_run_all_every_call(
    zoo, retriever, transport, config, caplog
) -> None:
    two = "math.sqrt(x=16)\nmath.sqrt(x=25)"
    router = make_router(zoo, retriever, transport, config, backend=TestModel(outputs=[two, two]))
    with caplog.at_level(logging.WARNING, logger="gorilla_router.router"):
        first = router.run("square root of 16 and of 25")
    assert first.call is not None
    assert first.call.arguments == {"x": 16}
    assert "run() executes the first only" in caplog.text
    every = router.run_all("square root of 16 and of 25")
    assert [r.call.arguments["x"] for r in every if r.call] == [16, 25]
    assert [c.arguments["x"] for c, _ in transport["python"].calls] == [16, 16, 25]


def test_batch_and_async_forms(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config)
    queries = ["what is the square root of 16", "tell me a joke", "weather in Berlin now"]
    statuses = [r.status for r in router.run_batch(queries, max_workers=2)]
    assert statuses == [CallStatus.OK, CallStatus.NO_CALL, CallStatus.OK]

    async def main():
        ran = await router.arun("what is the square root of 16")
        planned = await router.aplan(ORDER)
        found = await router.asearch("weather", k=1)
        executed = await router.aexecute("math.sqrt(x=9)")
        batch = await router.arun_batch(queries[:2])
        return ran, planned, found, executed, batch

    ran, planned, found, executed, batch = asyncio.run(main())
    assert ran.status is CallStatus.OK
    assert planned.calls[0].decision == "ask"
    assert [c.spec.id for c in found] == ["weather.current"]
    assert executed.output == {"api_id": "math.sqrt", "arguments": {"x": 9}}
    assert [r.status for r in batch] == [CallStatus.OK, CallStatus.NO_CALL]


def test_search_uses_top_k_from_the_config(zoo, retriever, transport, config) -> None:
    router = make_router(zoo, retriever, transport, config.model_copy(update={"top_k": 1}))
    assert len(router.search("order food or cancel a food order")) == 1
    assert len(router.search("order food or cancel a food order", k=3)) >= 2


def test_empty_query_is_a_usage_error(zoo, retriever, transport, config) -> None:
    with pytest.raises(UsageError, match="non-empty string"):
        make_router(zoo, retriever, transport, config).run("   ")


def test_backend_by_name_is_built_lazily_and_unknown_names_suggest(zoo, retriever, transport, config) -> None:
    router = GorillaRouter(zoo=zoo, retriever=retriever, backend="test", config=config, transports=transport)
    assert router.run("what is the square root of 16").status is CallStatus.OK
    assert router.backend.name == "test"
    typo = GorillaRouter(zoo=zoo, retriever=retriever, backend="embeded", config=config, transports=transport)
    with pytest.raises(UnknownBackendError, match="embedded"):
        typo.run("what is the square root of 16")


def test_the_model_output_error_is_kept_for_the_message(zoo, retriever, transport, config) -> None:
    error = GenerationError("wrote nonsense", raw="???")
    result = make_router(zoo, retriever, transport, config, backend=TestModel(outputs=[error])).run(
        "square root of 16"
    )
    assert result.status is CallStatus.INVALID
    assert "wrote nonsense" in (result.error or "")


def test_config_argument_defaults_are_read_from_the_environment(
    zoo, retriever, transport, monkeypatch
) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_DRY_RUN", "true")
    monkeypatch.setenv("GORILLA_ROUTER_BACKEND", "test")
    router = GorillaRouter(zoo=zoo, retriever=retriever, transports=transport)
    assert router.config.dry_run
    assert router.config.backend == "test"
    assert router.run("what is the square root of 16").status is CallStatus.DRY_RUN
    assert isinstance(router.config, RouterConfig)


class _ClosingExecutor(RecordingExecutor):
    def __init__(self) -> None:
        super().__init__()
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_closing_the_router_closes_the_dispatching_executors(zoo, retriever, config) -> None:
    transports = {"rest": _ClosingExecutor(), "python": _ClosingExecutor()}
    with GorillaRouter(
        zoo=zoo, retriever=retriever, backend=TestModel(), config=config, transports=transports
    ) as router:
        assert router.run("what is the square root of 16").status is CallStatus.OK
    assert transports["rest"].closed == 1
    assert transports["python"].closed == 1


class _LazyWeightsModel(TestModel):
    """A TestModel whose weights load on first use, like a local transformers backend."""

    def __init__(self) -> None:
        super().__init__()
        self.loads = 0

    def loaded(self) -> str:
        self.loads += 1
        return "weights"


def test_warm_up_loads_weights_and_reports_one_time_costs_once(zoo, retriever, transport, config) -> None:
    model = _LazyWeightsModel()
    router = make_router(zoo, retriever, transport, config, backend=model)
    startup = router.warm_up()
    assert model.loads == 1
    assert "model_load" in startup
    first = router.run("what is the square root of 16")
    assert "model_load" not in first.timings  # already reported by warm_up
