"""A small food-ordering REST service of the project's own, so the demo's order reaches a real server.

It speaks the API the ``uber.eat.*`` zoo entries describe — ``POST /v1/eats/orders`` with a JSON body of
parallel lists ``restaurants`` / ``items`` / ``quantities`` — and keeps the orders in memory so a test (or
the ``demo`` command) can read back exactly what arrived: ``GET /v1/eats/orders``. It is a stdlib
``ThreadingHTTPServer`` bound to 127.0.0.1 only: no dependency, no network exposure, nothing to install.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["RESTAURANTS", "FoodService", "OrderRejected", "check_order"]

LOOPBACK = "127.0.0.1"
MAX_BODY_BYTES = 64 * 1024

RESTAURANTS: dict[str, dict[str, Any]] = {
    "McDonald's": {
        "cuisine": "burgers",
        "city": "San Francisco",
        "menu": ["burger", "chicken wings", "fries"],
    },
    "Burger King": {"cuisine": "burgers", "city": "San Francisco", "menu": ["whopper", "onion rings"]},
    "Chipotle": {"cuisine": "mexican", "city": "Oakland", "menu": ["burrito", "tacos", "chips"]},
    "Pizza Hut": {"cuisine": "pizza", "city": "Berkeley", "menu": ["pepperoni pizza", "garlic bread"]},
    "Sushi Ran": {"cuisine": "japanese", "city": "Sausalito", "menu": ["salmon nigiri", "miso soup"]},
}


class OrderRejected(ValueError):
    """The order body is malformed; the message says which field and why (sent back as HTTP 400)."""


def check_order(body: Any) -> dict[str, list[Any]]:
    """Check an order: string lists ``restaurants``/``items``, positive ``quantities`` as long as items."""
    if not isinstance(body, dict):
        raise OrderRejected("the body must be a JSON object with restaurants, items and quantities")
    order: dict[str, list[Any]] = {}
    for field, kind in (("restaurants", str), ("items", str), ("quantities", int)):
        value = body.get(field)
        if not isinstance(value, list) or not value:
            raise OrderRejected(f"'{field}' must be a non-empty JSON list")
        wrong = [v for v in value if not isinstance(v, kind) or isinstance(v, bool)]
        if wrong:
            raise OrderRejected(f"'{field}' must hold {kind.__name__} values, got {wrong[0]!r}")
        order[field] = list(value)
    if len(order["items"]) != len(order["quantities"]):
        raise OrderRejected(
            f"'items' ({len(order['items'])}) and 'quantities' ({len(order['quantities'])}) differ in length"
        )
    if any(q < 1 for q in order["quantities"]):
        raise OrderRejected("'quantities' must be positive integers")
    unknown = [extra for extra in body if extra not in order]
    if unknown:
        raise OrderRejected(f"unknown field(s): {', '.join(map(str, unknown))}")
    return order


class FoodService:
    """The service: ``start()`` binds 127.0.0.1 (port 0 = a free port) in a daemon thread, ``stop()`` ends it.

    Use as a context manager. ``orders`` is a snapshot of the orders received, oldest first.
    """

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._orders: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``: what the router's ``uber`` base-url override names."""
        if self._server is None:
            raise RuntimeError("the food service is not running; call start() first")
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    @property
    def orders(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(order) for order in self._orders]

    def start(self) -> FoodService:
        if self._server is not None:
            return self
        self._server = ThreadingHTTPServer((LOOPBACK, self._port), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="food-service", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FoodService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def place(self, order: dict[str, list[Any]]) -> dict[str, Any]:
        record: dict[str, Any] = {
            "order_id": uuid.uuid4().hex[:12],
            "status": "confirmed",
            **order,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        with self._lock:
            self._orders.append(record)
        return dict(record)

    def find(self, order_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((dict(o) for o in self._orders if o["order_id"] == order_id), None)

    def cancel(self, order_id: str) -> dict[str, Any] | None:
        with self._lock:
            for order in self._orders:
                if order["order_id"] == order_id:
                    order["status"] = "cancelled"
                    return dict(order)
        return None


def _search_restaurants(params: dict[str, list[str]]) -> list[dict[str, Any]]:
    words = " ".join(params.get("query", []))
    terms = [t for t in words.lower().replace(",", " ").split() if t]
    results = []
    for name, info in RESTAURANTS.items():
        text = " ".join([name, info["cuisine"], info["city"], *info["menu"]]).lower()
        if not terms or any(term in text for term in terms):
            results.append({"name": name, **info})
    return results


def _make_handler(service: FoodService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "GorillaRouterFoodService/1"

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the default stderr access log; the router logs its own calls."""

        def _reply(self, status: HTTPStatus, payload: Any) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _order_id(self, path: str) -> str | None:
            prefix = "/v1/eats/orders/"
            return path[len(prefix) :].strip("/") or None if path.startswith(prefix) else None

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.rstrip("/") == "/v1/eats/orders":
                self._reply(HTTPStatus.OK, {"orders": service.orders})
            elif parts.path.rstrip("/") == "/v1/eats/stores":
                self._reply(HTTPStatus.OK, {"restaurants": _search_restaurants(parse_qs(parts.query))})
            elif (order_id := self._order_id(parts.path)) is not None:
                found = service.find(order_id)
                if found is None:
                    self._reply(HTTPStatus.NOT_FOUND, {"error": f"no order {order_id!r}"})
                else:
                    self._reply(HTTPStatus.OK, found)
            elif parts.path == "/health":
                self._reply(HTTPStatus.OK, {"status": "ok"})
            else:
                self._reply(HTTPStatus.NOT_FOUND, {"error": f"no route GET {parts.path}"})

        def do_POST(self) -> None:
            if urlsplit(self.path).path.rstrip("/") != "/v1/eats/orders":
                self._reply(HTTPStatus.NOT_FOUND, {"error": f"no route POST {self.path}"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "order body too large"})
                return
            try:
                order = check_order(json.loads(self.rfile.read(length) or b"null"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                self._reply(HTTPStatus.BAD_REQUEST, {"error": f"the body is not JSON: {exc}"})
                return
            except OrderRejected as exc:
                self._reply(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
                return
            self._reply(HTTPStatus.CREATED, service.place(order))

        def do_DELETE(self) -> None:
            order_id = self._order_id(urlsplit(self.path).path)
            cancelled = service.cancel(order_id) if order_id else None
            if cancelled is None:
                self._reply(HTTPStatus.NOT_FOUND, {"error": f"no order at {self.path}"})
            else:
                self._reply(HTTPStatus.OK, cancelled)

    return Handler
