"""OpenAIBackend over real HTTP against a local server process replaying recorded responses.

The responses are written from the documented formats (Gorilla's OpenFunctions README for the content
string and ``function_call`` list; OpenAI's chat-completions schema for ``tool_calls``), so the request
building, HTTP handling, parsing and candidate checks all run for real; only the model is recorded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gorilla_router.errors import BackendError, ConfigError, GenerationError
from gorilla_router.generation import load_backend
from gorilla_router.generation.openai_backend import OpenAIBackend
from gorilla_router.specs import Candidate

HERE = Path(__file__).resolve().parent


@dataclass
class FakeServer:
    base_url: str
    log: Path

    def requests(self) -> list[dict[str, object]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def fake_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeServer]:
    log = tmp_path_factory.mktemp("fake_openai") / "requests.jsonl"
    process = subprocess.Popen(
        [sys.executable, str(HERE / "fake_openai_server.py"), str(HERE / "fixtures"), str(log)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("PORT "), f"fake server did not start: {line!r}"
        yield FakeServer(f"http://127.0.0.1:{int(line.split()[1])}/v1", log)
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def server(fake_server: FakeServer) -> FakeServer:
    fake_server.log.unlink(missing_ok=True)
    return fake_server


def backend(server: FakeServer, model: str, **options: object) -> OpenAIBackend:
    built = load_backend(f"openai:{model}@{server.base_url}", **options)
    assert isinstance(built, OpenAIBackend)
    return built


def test_gorilla_v2_function_call_list(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    calls = backend(server, "gorilla-openfunctions-v2", mode="gorilla").generate(
        "What's the weather like in the two cities of Boston and San Francisco?", weather_candidates
    )
    assert [(c.api_id, c.arguments) for c in calls] == [
        ("get_current_weather", {"location": "Boston, MA"}),
        ("get_current_weather", {"location": "San Francisco, CA"}),
    ]
    assert "function_call" in calls[0].raw
    (request,) = server.requests()
    body = request["body"]
    assert isinstance(body, dict)
    assert body["messages"] == [
        {"role": "user", "content": "What's the weather like in the two cities of Boston and San Francisco?"}
    ]
    assert [t["function"]["name"] for t in body["tools"]] == [
        "get_current_weather",
        "coffee_shop.find_nearby",
    ]


def test_gorilla_content_string_only(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    (call,) = backend(server, "gorilla-openfunctions-v1", mode="gorilla").generate(
        "Weather in Boston in fahrenheit", weather_candidates
    )
    assert call.to_source() == "get_current_weather(location='Boston, MA', unit='fahrenheit')"


def test_gorilla_hallucinated_api_is_rejected(
    server: FakeServer, weather_candidates: list[Candidate]
) -> None:
    with pytest.raises(GenerationError, match=r"'uber\.ride'.*get_current_weather, coffee_shop\.find_nearby"):
        backend(server, "gorilla-hallucinated", mode="gorilla").generate(
            "Call me an Uber", weather_candidates
        )


def test_tools_mode_request_and_tool_calls(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    calls = backend(server, "openai-tool-calls", tool_choice="get_current_weather").generate(
        "Weather and coffee in Boston", weather_candidates
    )
    assert [c.to_source() for c in calls] == [
        "get_current_weather(location='Boston, MA', unit='celsius')",
        "coffee_shop.find_nearby(location='Boston, MA')",
    ]
    (request,) = server.requests()
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert isinstance(body, dict)
    assert [t["function"]["name"] for t in body["tools"]] == [
        "get_current_weather",
        "coffee_shop-find_nearby",
    ]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_current_weather"}}
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][1] == {"role": "user", "content": "Weather and coffee in Boston"}
    assert body["temperature"] == 0.0


def test_functions_mode(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    (call,) = backend(server, "openai-function-call", mode="functions").generate("coffee", weather_candidates)
    assert call.arguments == {"location": "Seattle, WA", "amenities": ["Wi-Fi"]}
    body = server.requests()[0]["body"]
    assert isinstance(body, dict)
    assert body["function_call"] == "auto"
    assert [f["name"] for f in body["functions"]] == ["get_current_weather", "coffee_shop-find_nearby"]


def test_completion_mode_renders_prompt_format(
    server: FakeServer, weather_candidates: list[Candidate]
) -> None:
    chosen = backend(server, "completion-openfunctions", mode="completion", prompt_format="openfunctions_v2")
    calls = chosen.generate("Weather in Paris and in Oslo in celsius", weather_candidates)
    assert [c.arguments for c in calls] == [
        {"location": "Paris, France"},
        {"location": "Oslo, Norway", "unit": "celsius"},
    ]
    (request,) = server.requests()
    assert request["path"] == "/v1/completions"
    body = request["body"]
    assert isinstance(body, dict)
    assert "### Instruction: <<function>>" in body["prompt"]
    assert body["prompt"].endswith("<<question>>Weather in Paris and in Oslo in celsius\n### Response: ")


def test_no_call_and_prose(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    assert backend(server, "openai-no-call").generate("hello", weather_candidates) == []
    with pytest.raises(GenerationError, match="I am sorry"):
        backend(server, "openai-prose").generate("weather?", weather_candidates)


def test_http_errors_name_status_and_message(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    with pytest.raises(BackendError, match="HTTP 500: The server is overloaded"):
        backend(server, "error-500").generate("q", weather_candidates)
    with pytest.raises(BackendError, match="HTTP 502: <html>"):
        backend(server, "error-html").generate("q", weather_candidates)
    with pytest.raises(BackendError, match="non-JSON"):
        backend(server, "not-json").generate("q", weather_candidates)
    with pytest.raises(BackendError, match="without choices"):
        backend(server, "no-choices").generate("q", weather_candidates)
    with pytest.raises(BackendError, match=r"HTTP 404.*not found"):
        backend(server, "no-such-model").generate("q", weather_candidates)
    assert len(server.requests()) == 5  # HTTP errors are not retried


def test_api_key_is_sent_but_never_shown(
    server: FakeServer, weather_candidates: list[Candidate], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-test-0123456789abcdef"
    monkeypatch.setenv("GROUTER_TEST_KEY", secret)
    with pytest.raises(BackendError) as info:
        backend(server, "error-401-echo", api_key_env="GROUTER_TEST_KEY").generate("q", weather_candidates)
    assert secret not in str(info.value)
    assert "HTTP 401" in str(info.value)
    assert "$GROUTER_TEST_KEY" in str(info.value)
    assert "***" in str(info.value)
    (request,) = server.requests()
    assert request["authorization"] == f"Bearer {secret}"
    assert secret not in json.dumps(request["body"])


def test_missing_named_key_is_a_config_error(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    with pytest.raises(ConfigError, match="GROUTER_UNSET_KEY"):
        backend(server, "openai-tool-calls", api_key_env="GROUTER_UNSET_KEY").generate(
            "q", weather_candidates
        )


def test_read_timeout_is_not_retried(server: FakeServer, weather_candidates: list[Candidate]) -> None:
    with pytest.raises(BackendError, match=r"did not answer within 0\.5 s"):
        backend(server, "slow", timeout=0.5, max_retries=3).generate("q", weather_candidates)
    assert len(server.requests()) == 1


def test_connection_errors_are_retried(weather_candidates: list[Candidate]) -> None:
    unused = OpenAIBackend("m", "http://127.0.0.1:9/v1", max_retries=2, timeout=2)
    with pytest.raises(
        BackendError,
        match=r"cannot reach the model server at http://127\.0\.0\.1:9/v1/chat/completions after 3",
    ):
        unused.generate("q", weather_candidates)


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/")
    built = load_backend("openai:gorilla-openfunctions-v2")
    assert isinstance(built, OpenAIBackend)
    assert built.base_url == "http://127.0.0.1:8000/v1"
    assert built.prompt_format.name == "openfunctions_v2"
    with pytest.raises(ConfigError, match="mode"):
        OpenAIBackend("m", mode="chat")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="tool_choice 'nope' is not a candidate"):
        OpenAIBackend("m", tool_choice="nope")._tool_choice([])
