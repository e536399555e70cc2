"""``OpenAIBackend``: any OpenAI-compatible server — vLLM/TGI serving Gorilla, llama.cpp, Ollama, OpenAI.

Plain ``requests`` (already a dependency) instead of the ``openai`` SDK: four request shapes are all we
send, and owning the HTTP layer keeps the error mapping, the retry policy and secret redaction in one
place. Modes:

* ``"tools"`` — chat completions with ``tools`` (the modern OpenAI API; vLLM, llama.cpp, Ollama);
* ``"functions"`` — chat completions with the legacy ``functions`` field;
* ``"completion"`` — ``/completions`` with a text prompt rendered by a prompt format (for servers hosting
  a base or Gorilla model without a chat template);
* ``"gorilla"`` — Gorilla's own endpoint: the user's query plus the functions; the answer comes back as a
  content string ``f(a=1), g(b=2)`` and/or a ``function_call`` list.

Connection failures are retried (``max_retries`` times, with backoff); a read time-out or an HTTP error
is not, because the server did receive the request. Every returned call is parsed and checked against
the candidates. The API key is read from the environment at request time and is removed from every
error message.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from typing import Any, Literal

import requests

from gorilla_router.errors import BackendError, ConfigError
from gorilla_router.generation.parsing import parse_tool_calls
from gorilla_router.generation.prompts import PromptFormat, default_prompt_format, get_prompt_format
from gorilla_router.generation.prompts.base import function_schema
from gorilla_router.generation.prompts.chat_tools import ChatToolsFormat
from gorilla_router.generation.toolnames import tool_name_for
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["DEFAULT_BASE_URL", "Mode", "OpenAIBackend"]

Mode = Literal["tools", "functions", "completion", "gorilla"]
MODES: tuple[Mode, ...] = ("tools", "functions", "completion", "gorilla")
DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_KEY_ENV = "OPENAI_API_KEY"


class OpenAIBackend:
    """A ``ModelBackend`` talking to an OpenAI-compatible HTTP server. Thread-safe (a session per thread)."""

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        *,
        api_key_env: str = DEFAULT_KEY_ENV,
        mode: Mode = "tools",
        prompt_format: str | PromptFormat | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        temperature: float = 0.0,
        max_tokens: int = 256,
        tool_choice: str = "auto",
        extra_body: dict[str, Any] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown mode {mode!r} for the openai backend; use one of {', '.join(MODES)}")
        if not model.strip():
            raise ConfigError("the openai backend needs a model name, e.g. 'openai:gpt-4o-mini'")
        if timeout <= 0 or max_retries < 0:
            raise ConfigError("timeout must be > 0 seconds and max_retries >= 0")
        url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"base_url must start with http:// or https://, got {url!r}")
        self.model = model.strip()
        self.base_url = url
        self.mode: Mode = mode
        self.api_key_env = api_key_env
        self.prompt_format = get_prompt_format(prompt_format or default_prompt_format(self.model))
        self.timeout = timeout
        self.max_retries = max_retries
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.tool_choice = tool_choice
        self.extra_body = dict(extra_body or {})
        self.name = f"openai:{self.model}@{self.base_url}"
        self._local = threading.local()

    # -- the ModelBackend protocol -------------------------------------------------------------------
    def generate(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        if self.mode == "completion":
            body = self._completion_body(query, candidates)
            response = self._post("/completions", body)
            text = _first_choice(response).get("text")
            if not isinstance(text, str):
                raise BackendError(f"{self.base_url}/completions answered without choices[0].text")
            return self.prompt_format.parse(text, candidates)
        response = self._post("/chat/completions", self._chat_body(query, candidates))
        message = _first_choice(response).get("message")
        if not isinstance(message, dict):
            raise BackendError(f"{self.base_url}/chat/completions answered without choices[0].message")
        return parse_tool_calls(message, candidates, raw=json.dumps(message, ensure_ascii=False))

    # -- request bodies ------------------------------------------------------------------------------
    def _chat_body(self, query: str, candidates: Sequence[Candidate]) -> dict[str, Any]:
        chat = self.prompt_format if isinstance(self.prompt_format, ChatToolsFormat) else ChatToolsFormat()
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if self.mode == "gorilla":
            body["messages"] = [{"role": "user", "content": query}]
            tools = [{"type": "function", "function": function_schema(c.spec)} for c in candidates]
            if tools:
                body["tools"] = tools
        else:
            body["messages"] = chat.messages(query, candidates)
            if candidates and self.mode == "tools":
                body["tools"] = chat.tools(candidates)
                body["tool_choice"] = self._tool_choice(candidates)
            elif candidates:
                body["functions"] = chat.functions(candidates)
                body["function_call"] = (
                    "auto" if self.tool_choice in ("auto", "required") else self.tool_choice
                )
        return {**body, **self.extra_body}

    def _tool_choice(self, candidates: Sequence[Candidate]) -> Any:
        """``auto``/``required``/``none`` pass through; a candidate id forces that tool."""
        if self.tool_choice in ("auto", "required", "none"):
            return self.tool_choice
        ids = [c.spec.id for c in candidates]
        if self.tool_choice not in ids:
            raise ConfigError(f"tool_choice {self.tool_choice!r} is not a candidate ({', '.join(ids)})")
        return {"type": "function", "function": {"name": tool_name_for(self.tool_choice)}}

    def _function_call(self, candidates: Sequence[Candidate]) -> Any:
        """The legacy ``function_call`` field: ``auto``, ``none`` or ``{"name": …}``."""
        choice = self._tool_choice(candidates)
        if isinstance(choice, dict):
            return {"name": choice["function"]["name"]}
        return "none" if choice == "none" else "auto"

    def _completion_body(self, query: str, candidates: Sequence[Candidate]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "prompt": self.prompt_format.render(query, candidates),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        return {**body, **self.extra_body}

    # -- HTTP ----------------------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
        return session

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = os.environ.get(self.api_key_env, "")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        elif self.api_key_env != DEFAULT_KEY_ENV:
            raise ConfigError(
                f"the environment variable {self.api_key_env} (named by api_key_env) is not set"
            )
        return headers

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = self.base_url + path
        headers = self._headers()
        attempts = self.max_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response = self._session().post(url, json=body, headers=headers, timeout=self.timeout)
            except requests.exceptions.ConnectionError as exc:
                if attempt < attempts:
                    time.sleep(min(0.25 * 2 ** (attempt - 1), 4.0))
                    continue
                reason = self._redact(str(exc))
                raise BackendError(
                    f"cannot reach the model server at {url} after {attempt} attempt(s): {reason}"
                ) from exc
            except requests.exceptions.Timeout as exc:
                raise BackendError(
                    f"the model server at {url} did not answer within {self.timeout:g} s"
                ) from exc
            except requests.exceptions.RequestException as exc:
                raise BackendError(f"request to {url} failed: {self._redact(str(exc))}") from exc
            return self._decode(url, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _decode(self, url: str, response: requests.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            hint = ""
            if response.status_code in (401, 403):
                hint = f" (check the API key in ${self.api_key_env})"
            raise BackendError(
                f"the model server at {url} answered HTTP {response.status_code}{hint}: "
                f"{self._redact(_server_message(response))}"
            )
        try:
            decoded = response.json()
        except ValueError as exc:
            raise BackendError(
                f"the model server at {url} answered with non-JSON: {self._redact(response.text[:300])!r}"
            ) from exc
        if not isinstance(decoded, dict):
            raise BackendError(f"the model server at {url} answered with JSON that is not an object")
        return decoded

    def _redact(self, text: str) -> str:
        key = os.environ.get(self.api_key_env, "")
        return text.replace(key, "***") if len(key) >= 4 else text


def _first_choice(response: dict[str, Any]) -> dict[str, Any]:
    choices = response.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BackendError(f"the model server answered without choices: {json.dumps(response)[:300]}")
    choice: dict[str, Any] = choices[0]
    return choice


def _server_message(response: requests.Response) -> str:
    """The server's own error text: OpenAI's ``{"error": {"message": …}}``, FastAPI's ``detail``, or text."""
    try:
        payload = response.json()
    except ValueError:
        return response.text[:500] or response.reason
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:500]
        if isinstance(error, str):
            return error[:500]
        if payload.get("detail"):
            return json.dumps(payload["detail"])[:500]
    return json.dumps(payload)[:500]
