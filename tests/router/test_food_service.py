"""The demo food service: a real HTTP server on 127.0.0.1 that records orders and rejects malformed ones."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from gorilla_router.demo import FoodService, OrderRejected, check_order


@pytest.fixture
def service():
    with FoodService() as running:
        yield running


def test_order_is_recorded_and_read_back(service: FoodService) -> None:
    body = {"restaurants": ["McDonald's"], "items": ["burger", "chicken wings"], "quantities": [5, 6]}
    reply = requests.post(f"{service.url}/v1/eats/orders", json=body, timeout=5)
    assert reply.status_code == 201
    created = reply.json()
    assert created["status"] == "confirmed"
    assert created["items"] == ["burger", "chicken wings"]
    listed = requests.get(f"{service.url}/v1/eats/orders", timeout=5).json()["orders"]
    assert [(o["items"], o["quantities"]) for o in listed] == [(["burger", "chicken wings"], [5, 6])]
    one = requests.get(f"{service.url}/v1/eats/orders/{created['order_id']}", timeout=5).json()
    assert one["restaurants"] == ["McDonald's"]
    cancelled = requests.delete(f"{service.url}/v1/eats/orders/{created['order_id']}", timeout=5).json()
    assert cancelled["status"] == "cancelled"
    assert service.orders[0]["status"] == "cancelled"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"restaurants": ["A"], "items": ["x", "y"], "quantities": [1]}, "differ in length"),
        ({"restaurants": ["A"], "items": ["x"], "quantities": ["1"]}, "'quantities' must hold int"),
        ({"restaurants": ["A"], "items": ["x"], "quantities": [0]}, "positive"),
        ({"restaurants": [], "items": ["x"], "quantities": [1]}, "'restaurants' must be a non-empty"),
        ({"restaurants": ["A"], "items": ["x"], "quantities": [1], "tip": 3}, "unknown field"),
    ],
)
def test_malformed_orders_are_rejected_with_the_reason(service: FoodService, body, message) -> None:
    reply = requests.post(f"{service.url}/v1/eats/orders", json=body, timeout=5)
    assert reply.status_code == 400
    assert message in reply.json()["error"]
    assert service.orders == []
    with pytest.raises(OrderRejected, match=message):
        check_order(body)


def test_restaurant_search_and_unknown_routes(service: FoodService) -> None:
    found = requests.get(f"{service.url}/v1/eats/stores", params={"query": "burgers"}, timeout=5).json()
    assert {r["name"] for r in found["restaurants"]} == {"McDonald's", "Burger King"}
    assert requests.get(f"{service.url}/v1/nothing", timeout=5).status_code == 404
    assert requests.post(f"{service.url}/v1/nothing", json={}, timeout=5).status_code == 404
    not_json = requests.post(f"{service.url}/v1/eats/orders", data=b"{oops", timeout=5)
    assert not_json.status_code == 400
    assert "not JSON" in not_json.json()["error"]


def test_service_listens_on_loopback_only_and_stops() -> None:
    service = FoodService().start()
    url = service.url
    assert url.startswith("http://127.0.0.1:")
    service.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/health", timeout=2)
    with pytest.raises(RuntimeError, match="not running"):
        _ = service.url


def test_standalone_server_process_prints_its_url_and_stops_by_pid() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "gorilla_router.demo"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert requests.get(f"{url}/health", timeout=5).json() == {"status": "ok"}
    finally:
        process.terminate()
        process.wait(timeout=10)
