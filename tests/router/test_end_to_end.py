"""End to end with every real part on the CPU: bundled zoo, MiniLM + embedded Chroma, the embedded Gemma
model, the real executor stack, the real sandbox and a real HTTP food service on 127.0.0.1.

One router is shared by the whole module (models load once); its confirmation answer is set per test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from gorilla_router import CallStatus, GorillaRouter, RouterConfig
from gorilla_router.demo import FoodService
from gorilla_router.demo.tour import DEMO_QUERY, run_demo

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


class Confirmer:
    """The person at the keyboard: answers confirmation questions with ``answer`` and remembers them."""

    def __init__(self) -> None:
        self.answer = False
        self.asked: list[str] = []

    def __call__(self, call, spec, reason) -> bool:
        self.asked.append(call.api_id)
        return self.answer


@pytest.fixture(scope="module")
def food_service():
    with FoodService() as service:
        yield service


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e_index")


@pytest.fixture(scope="module")
def confirmer() -> Confirmer:
    return Confirmer()


@pytest.fixture(scope="module")
def router(food_service, index_dir, confirmer):
    config = RouterConfig.load(
        environ={},
        chroma_path=index_dir,
        base_url_overrides={"uber": food_service.url},
        allow_private=["127.0.0.1"],
    )
    with GorillaRouter(config=config, confirm=confirmer) as shared:
        shared.warm_up()
        yield shared


def _normal(item: str) -> str:
    return item.lower().rstrip("s")


def test_burgers_order_reaches_the_food_service(router, food_service, confirmer) -> None:
    before = len(food_service.orders)
    confirmer.answer = True
    result = router.run(DEMO_QUERY)
    assert result.status is CallStatus.OK, result.error
    assert result.call is not None
    assert result.call.api_id == "uber.eat.order"
    assert confirmer.asked[-1] == "uber.eat.order"
    orders = food_service.orders[before:]
    assert len(orders) == 1
    order = orders[0]
    assert order["restaurants"] == ["McDonald's"]
    assert [_normal(i) for i in order["items"]] == ["burger", "chicken wing"]
    assert order["quantities"] == [5, 6]
    assert result.output["order_id"] == order["order_id"]
    assert {"retrieve", "generate", "execute", "total"} <= set(result.timings)


def test_square_root_is_computed(router) -> None:
    result = router.run("what is the square root of 3342398")
    assert result.status is CallStatus.OK, result.error
    assert result.call is not None
    assert result.call.to_source() == "math.sqrt(x=3342398)"
    assert result.output == pytest.approx(1828.2226, abs=1e-4)


def test_declined_write_is_not_executed_and_says_so(router, food_service, confirmer) -> None:
    before = len(food_service.orders)
    confirmer.answer = False
    result = router.run("order 3 cheeseburgers from Burger King")
    assert result.status is CallStatus.DENIED
    assert result.call is not None
    assert result.call.api_id == "uber.eat.order"
    assert "declined" in (result.error or "").lower() or "not confirmed" in (result.error or "").lower()
    assert len(food_service.orders) == before


def test_a_joke_gets_no_call_and_a_clear_message(router, food_service) -> None:
    before = len(food_service.orders)
    result = router.run("tell me a joke")
    assert result.status is CallStatus.NO_CALL
    assert result.call is None
    assert "no suitable API" in (result.error or "")
    assert len(food_service.orders) == before


def test_plan_shows_the_order_needs_confirmation(router, food_service) -> None:
    before = len(food_service.orders)
    plan = router.plan(DEMO_QUERY)
    assert plan.candidates[0].spec.id == "uber.eat.order"
    assert [c.call.api_id for c in plan.calls] == ["uber.eat.order"]
    assert plan.calls[0].decision == "ask"
    assert len(food_service.orders) == before


def test_demo_tour_orders_through_the_router(router, index_dir) -> None:
    console = Console(record=True, width=140)
    config = RouterConfig.load(environ={}, chroma_path=index_dir)
    outcome = run_demo(console, config)
    text = console.export_text()
    assert outcome.results
    assert outcome.results[0].status is CallStatus.OK
    assert outcome.orders
    assert outcome.orders[0]["quantities"] == [5, 6]
    for shown in (
        "Retrieved APIs",
        "uber.eat.order",
        "guard:",
        "confirmed automatically",
        "Service reply",
        "Orders recorded",
    ):
        assert shown in text


def _run_example(name: str, index_dir: Path) -> str:
    env = {**os.environ, "GORILLA_ROUTER_CHROMA_PATH": str(index_dir), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / name)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_quickstart_example_runs_as_written(router, index_dir) -> None:
    out = _run_example("quickstart.py", index_dir)
    assert "math.sqrt(x=3342398)" in out
    assert "ok 1828.2226" in out


def test_rest_service_example_runs_as_written(router, index_dir) -> None:
    out = _run_example("rest_service.py", index_dir)
    assert "ok {" in out
    assert 'the service recorded: ["McDonald\'s"]' in out
    assert "[5, 6]" in out
