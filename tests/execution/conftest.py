"""Fixtures for the execution tests: the local HTTP service (a real process), spec builders, fake DNS."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gorilla_router.specs import ApiSpec

SERVICE = Path(__file__).with_name("service.py")
SERVICE_TOKEN = "s3cr3t-Value/with+chars"


def start_service(*extra: str) -> tuple[subprocess.Popen[str], int]:
    """Start ``service.py`` on 127.0.0.1 with an OS-chosen port; return the process and the port."""
    proc = subprocess.Popen(
        [sys.executable, str(SERVICE), "--port", "0", *extra], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        stop_service(proc)
        raise RuntimeError(f"test service did not start: {line!r}")
    return proc, int(line.split()[1])


def stop_service(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def service_port() -> Iterator[int]:
    proc, port = start_service("--token", SERVICE_TOKEN)
    yield port
    stop_service(proc)


@pytest.fixture(scope="session")
def service_token() -> str:
    """The bearer token the service's /auth route accepts (tests put it in a fake environment)."""
    return SERVICE_TOKEN


@pytest.fixture(scope="session")
def service_url(service_port: int) -> str:
    return f"http://127.0.0.1:{service_port}"


def _rest_spec(base_url: str, path: str = "/echo", method: str = "GET", **overrides: Any) -> ApiSpec:
    """A REST spec for the local service; ``parameters`` defaults to an open set of common names."""
    parameters = overrides.pop("parameters", None) or {
        "type": "object",
        "properties": {name: {} for name in ("q", "item_id", "token", "x_trace", "count", "tags", "payload")},
        "required": [],
    }
    for name in (p for p in path.replace("}", "{").split("{")[1::2]):
        parameters["properties"].setdefault(name, {})
    return ApiSpec(
        id=overrides.pop("id", "local.echo"),
        name="echo",
        description="test endpoint",
        kind="rest",
        method=method,
        base_url=base_url,
        path=path,
        parameters=parameters,
        **overrides,
    )


@pytest.fixture(name="rest_spec")
def rest_spec_fixture() -> Callable[..., ApiSpec]:
    """``rest_spec(base_url, path="/echo", method="GET", **spec_fields)`` builds a REST spec for tests."""
    return _rest_spec


@pytest.fixture
def sqrt_spec() -> ApiSpec:
    """``math.sqrt`` as a python spec: a real, harmless callable with one required number."""
    return ApiSpec(
        id="math.sqrt",
        name="sqrt",
        description="square root",
        kind="python",
        callable="math:sqrt",
        parameters={"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
    )


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make chosen host names resolve to chosen addresses (DNS rebinding simulation); others resolve normally.

    Returns ``register(name, answer, *later_answers)``: each lookup of ``name`` returns the next answer (a
    list of IPs), the last one repeating. ``register.calls`` counts lookups per name.
    """
    table: dict[str, list[list[str]]] = {}
    calls: dict[str, int] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in table:
            return real(host, port, *args, **kwargs)
        calls[name] = calls.get(name, 0) + 1
        answers = table[name]
        answer = answers[min(calls[name], len(answers)) - 1]
        out: list[Any] = []
        for address in answer:
            if ":" in address:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, int(port or 0), 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 0))))
        return out

    def register(name: str, answer: list[str], *later: list[str]) -> None:
        table[name] = [answer, *later]

    register.calls = calls  # type: ignore[attr-defined]
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return register
