"""OpenAIBackend against a REAL OpenAI-compatible server: llama-cpp-python's server on 127.0.0.1, serving
the packaged Gemma 3 270M GGUF.

The model is a 270M base model, so what it writes is not the point: the server's own grammar machinery
(``chatml-function-calling`` for forced tool calls, a GBNF ``grammar`` for completions) keeps the output
well-formed, and the tests check the whole path — request shapes accepted by a real server, responses
decoded, calls parsed and checked against the candidates. Skipped when ``llama_cpp`` is not installed
(``pip install 'gorilla-router[llamacpp]'``; it compiles for several minutes).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from gorilla_router.errors import GenerationError
from gorilla_router.generation import load_backend
from gorilla_router.specs import Candidate

pytestmark = pytest.mark.slow

SERVER_MODULES = (
    "llama_cpp",
    "uvicorn",
    "fastapi",
    "sse_starlette",
    "starlette_context",
    "pydantic_settings",
)
MODEL_ALIAS = "gemma-3-270m"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    missing = [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(
            f"llama-cpp-python's server is not installed (missing {', '.join(missing)}): "
            "pip install 'gorilla-router[llamacpp]'"
        )
    from gorilla_router.generation.llamacpp_backend import embedded_gguf_path

    gguf = embedded_gguf_path()  # the packaged GGUF, assembled once into the cache folder
    port = _free_port()
    log = tmp_path_factory.mktemp("llama_server") / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(gguf),
                "--model_alias",
                MODEL_ALIAS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--chat_format",
                "chatml-function-calling",
                "--n_ctx",
                "2048",
                "--n_threads",
                "2",
                "--verbose",
                "false",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_ready(base_url, process, log)
        yield base_url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{tail}")
        try:
            if requests.get(f"{base_url}/models", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail("llama_cpp.server did not become ready within 180 s")


def call_grammar(api_id: str) -> str:
    """A GBNF grammar admitting exactly ``<api_id>(location="<letters, spaces, commas>")``."""
    return f'root ::= "{api_id}(location=\\"" text "\\")"\ntext ::= [A-Za-z ,]{{1,30}}\n'


def test_forced_tool_call_through_real_server(llama_server: str, candidates: list[Candidate]) -> None:
    backend = load_backend(
        f"openai:{MODEL_ALIAS}@{llama_server}", tool_choice="weather.current", max_tokens=64, timeout=120
    )
    calls = backend.generate("What is the weather in Paris, France?", candidates)
    assert calls, "a forced tool choice must yield at least one call"
    for call in calls:  # the small model may repeat the call; each one is checked
        assert call.api_id == "weather.current"
        assert set(call.arguments) <= {"location", "unit"}
        assert '"tool_calls"' in call.raw


def test_completion_mode_with_server_grammar(llama_server: str, candidates: list[Candidate]) -> None:
    backend = load_backend(
        f"openai:{MODEL_ALIAS}@{llama_server}",
        mode="completion",
        prompt_format="openfunctions_v2",
        max_tokens=48,
        timeout=120,
        extra_body={"grammar": call_grammar("weather.current")},
    )
    (call,) = backend.generate("What is the weather in Paris, France?", candidates)
    assert call.api_id == "weather.current"
    assert isinstance(call.arguments["location"], str)
    assert call.arguments["location"].strip()


def test_real_output_naming_another_api_is_rejected(llama_server: str, candidates: list[Candidate]) -> None:
    backend = load_backend(
        f"openai:{MODEL_ALIAS}@{llama_server}",
        mode="completion",
        max_tokens=48,
        timeout=120,
        extra_body={"grammar": call_grammar("uber.ride")},
    )
    with pytest.raises(GenerationError, match=r"'uber\.ride', which is not one of the candidate APIs"):
        backend.generate("Call me an Uber to Paris", candidates)
