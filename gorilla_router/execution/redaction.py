"""Keep secrets out of results, previews, errors and logs.

A secret is the value of the environment variable a spec's ``auth`` names. Redaction replaces every
occurrence of it — raw, percent-encoded and form-encoded, since it may have travelled in a URL — with
``***`` anywhere in a (nested) value. Headers that conventionally carry credentials are masked by name too,
so a static ``X-Api-Key`` in a spec is not shown either.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from gorilla_router.specs import ApiSpec

__all__ = ["MASK", "SENSITIVE_HEADERS", "mask_headers", "redact", "secrets_for"]

MASK = "***"
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"}
)


def secrets_for(spec: ApiSpec, environ: Mapping[str, str] | None = None) -> list[str]:
    """The secret values this spec may send (empty without auth or when the variable is unset)."""
    env = os.environ if environ is None else environ
    if spec.auth is None:
        return []
    value = env.get(spec.auth.env, "")
    return [value] if value else []


def _spellings(secrets: list[str]) -> list[str]:
    forms = {form for s in secrets if s for form in (s, quote(s, safe=""), quote_plus(s), quote(s))}
    return sorted(forms, key=len, reverse=True)


def redact(value: Any, secrets: list[str]) -> Any:
    """Return ``value`` with every spelling of every secret replaced by ``***`` (containers are copied)."""
    spellings = _spellings(secrets)
    return _redact(value, spellings) if spellings else value


def _redact(value: Any, spellings: list[str]) -> Any:
    if isinstance(value, str):
        for secret in spellings:
            value = value.replace(secret, MASK)
        return value
    if isinstance(value, bytes):
        return _redact(value.decode("utf-8", "replace"), spellings).encode("utf-8")
    if isinstance(value, Mapping):
        return {_redact(k, spellings): _redact(v, spellings) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact(v, spellings) for v in value]
    return value


def mask_headers(headers: Mapping[str, str], secrets: list[str]) -> dict[str, str]:
    """Headers as they may be shown: credential-carrying headers masked, secret values redacted."""
    shown = {}
    for name, value in headers.items():
        shown[name] = MASK if name.lower() in SENSITIVE_HEADERS else _redact(value, _spellings(secrets))
    return shown
