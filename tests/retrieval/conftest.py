"""Retrieval fixtures: an isolated cache, the real MiniLM once per session, a Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gorilla_router.specs import ApiSpec

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("GORILLA_ROUTER_CACHE_DIR", str(cache))
    return cache


def make_python_spec(
    api_id: str, description: str, tags: list[str] | None = None, **extra: object
) -> ApiSpec:
    name = api_id.rsplit(".", 1)[-1]
    return ApiSpec(
        id=api_id,
        name=name,
        description=description,
        kind="python",
        callable=f"pkg.mod:{name}",
        tags=tags or [],
        **extra,  # type: ignore[arg-type]
    )


def make_rest_spec(api_id: str, description: str, tags: list[str] | None = None, **extra: object) -> ApiSpec:
    return ApiSpec(
        id=api_id,
        name=api_id.rsplit(".", 1)[-1],
        description=description,
        kind="rest",
        method="GET",
        base_url="https://api.example.com",
        path="/v1/" + api_id.replace(".", "/"),
        tags=tags or [],
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def python_spec():  # type: ignore[no-untyped-def]
    """Factory: ``python_spec(id, description, tags, **fields)`` → a valid python ``ApiSpec``."""
    return make_python_spec


@pytest.fixture
def small_zoo() -> list[ApiSpec]:
    """Eight specs over a few providers, kinds, tags and side effects."""
    return [
        make_rest_spec(
            "weather.forecast", "Weather forecast for a city: temperature, rain and wind.", ["weather"]
        ),
        make_rest_spec("weather.history", "Historical weather observations for a date range.", ["weather"]),
        make_rest_spec("stocks.quote", "Latest stock price quote for a ticker symbol.", ["finance"]),
        make_rest_spec(
            "orders.create", "Order food for delivery from a restaurant.", ["food"], side_effects="write"
        ),
        make_python_spec(
            "mathlib.sqrt", "Square root of a non-negative number.", ["math"], side_effects="none"
        ),
        make_python_spec("mathlib.factorial", "Factorial of a whole number.", ["math"], side_effects="none"),
        make_python_spec("textlib.slugify", "Turn a title into a URL slug.", ["text"], side_effects="none"),
        make_python_spec("textlib.word_count", "Count the words in a text.", ["text"], side_effects="none"),
    ]


@pytest.fixture(scope="session")
def minilm():  # type: ignore[no-untyped-def]
    """The real default embedder, loaded once for the whole session."""
    from gorilla_router.retrieval.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real ``chroma run`` on 127.0.0.1 (a free port), stopped by its PID at the end of the session."""
    executable = shutil.which("chroma", path=str(VENV_BIN)) or shutil.which("chroma")
    if executable is None:
        pytest.skip("the 'chroma' command is not installed")
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (data / "server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [executable, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"chroma run exited with {process.returncode}: {(data / 'server.log').read_text()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("chroma run did not start listening within 60 s")
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        os.kill(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, 9)
            process.wait(timeout=10)
        log.close()
