"""Build the exact HTTP request for a REST call from its spec — the one function dry runs and sends share.

The URL is the spec's base URL (or a configured override) plus its path template: the model fills in
parameter values, never the host. Path values are percent-encoded as a single segment (``/``, ``?``,
``#``, ``%`` and dot-only segments such as ``..`` are encoded), so a value cannot leave its segment.
Query, header and body placement follow ``spec.location_of``; the credential comes from the environment
variable ``spec.auth.env`` names and wins over any model-written value of the same name.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from gorilla_router.errors import ExecutionError
from gorilla_router.execution.redaction import mask_headers, redact
from gorilla_router.specs import ApiCall, ApiSpec, RestSpec

__all__ = ["USER_AGENT", "OutgoingRequest", "build_request"]

USER_AGENT = "gorilla-router/0.1"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class OutgoingRequest:
    """A fully built request; ``secrets`` are the credential values it carries (for redaction)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    secrets: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        """What is sent, safe to show: credential headers masked, secret values redacted everywhere."""
        secrets = list(self.secrets)
        body: Any = None
        if self.body is not None:
            text = self.body.decode("utf-8", "replace")
            try:
                body = json.loads(text) if "json" in self.headers.get("Content-Type", "") else text
            except ValueError:
                body = text
        return {
            "kind": "rest",
            "method": self.method,
            "url": redact(self.url, secrets),
            "headers": mask_headers(self.headers, secrets),
            "body": redact(body, secrets),
        }


def _text(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


def _segment(name: str, value: Any) -> str:
    if isinstance(value, (list, dict)):
        raise ExecutionError(f"path parameter {name!r} must be a single value, got {type(value).__name__}")
    text = _text(name, value)
    if not text:
        raise ExecutionError(f"path parameter {name!r} is empty; it must name one path segment")
    encoded = quote(text, safe="")
    return encoded.replace(".", "%2E") if set(encoded) == {"."} else encoded


def _query_pairs(name: str, value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, list):
        return [(name, _text(name, item)) for item in value]
    return [(name, _text(name, value))]


def _header_value(name: str, value: str) -> str:
    if any(ch in value for ch in "\r\n\0"):
        raise ExecutionError(f"header {name!r} contains a line break or NUL character; refused")
    return value


def build_request(
    call: ApiCall, spec: ApiSpec, *, base_url: str | None = None, environ: Mapping[str, str] | None = None
) -> OutgoingRequest:
    """Build the request for a validated REST call.

    Raises ``ExecutionError`` naming the environment variable when a credential is missing.
    """
    if not isinstance(spec, RestSpec):
        raise ExecutionError(f"API {spec.id!r} is not a REST API; it cannot be sent over HTTP")
    env = os.environ if environ is None else environ
    base = urlsplit(base_url or spec.base_url)
    path = _PLACEHOLDER.sub(lambda m: _segment(m.group(1), call.arguments.get(m.group(1))), spec.path)
    query = parse_qsl(base.query, keep_blank_values=True)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, */*;q=0.5", **spec.headers}
    body_fields: dict[str, Any] = {}
    for name, value in call.arguments.items():
        where = spec.location_of(name)
        if where == "query":
            query.extend(_query_pairs(name, value))
        elif where == "header" and value is not None:
            headers[name] = _header_value(name, _text(name, value))
        elif where == "body":
            body_fields[name] = value
    secrets: tuple[str, ...] = ()
    if spec.auth is not None:
        secret = env.get(spec.auth.env, "")
        if not secret:
            raise ExecutionError(
                f"API {spec.id!r} needs a credential in the environment variable {spec.auth.env}, which is "
                f"not set; set it (export {spec.auth.env}=...) before calling. The secret is read from the "
                f"environment only and never shown.",
                error_type="MissingCredential",
            )
        secrets = (secret,)
        if spec.auth.location == "header":
            headers[spec.auth.name] = _header_value(spec.auth.name, spec.auth.prefix + secret)
        else:
            query = [(k, v) for k, v in query if k != spec.auth.name]
            query.append((spec.auth.name, spec.auth.prefix + secret))
    body: bytes | None = None
    if body_fields:
        if spec.body_encoding == "json":
            body = json.dumps(body_fields, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        else:
            pairs = [pair for name, value in body_fields.items() for pair in _query_pairs(name, value)]
            body = urlencode(pairs).encode("utf-8")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    url = urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + path, urlencode(query), ""))
    return OutgoingRequest(method=spec.method, url=url, headers=headers, body=body, secrets=secrets)
