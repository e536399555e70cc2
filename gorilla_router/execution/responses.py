"""Read an HTTP response within a size cap and a total deadline, and decode it for the caller.

The body is streamed: reading stops one chunk past ``max_bytes`` (the rest is never downloaded) and the
cut is reported. The cap applies to decoded bytes, so a small gzip bomb cannot inflate past it. JSON is
decoded only when the server's Content-Type says JSON (``application/json`` or ``+json``); other text
is returned as text in its declared charset; binary bodies are summarised, not inlined.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from requests.utils import get_encoding_from_headers

from gorilla_router.errors import ExecutionError, ExecutionTimeout

__all__ = ["ReadBody", "decode_body", "read_capped"]

_CHUNK = 64 * 1024
_BINARY_PREFIXES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/gzip",
)


@dataclass(frozen=True)
class ReadBody:
    content: bytes
    truncated: bool
    content_type: str


def read_capped(response: requests.Response, max_bytes: int, deadline: float) -> ReadBody:
    """Stream at most ``max_bytes`` of the body; raise ``ExecutionTimeout`` past ``deadline`` (monotonic)."""
    content_type = response.headers.get("Content-Type", "")
    chunks: list[bytes] = []
    size = 0
    truncated = False
    try:
        for chunk in response.iter_content(chunk_size=_CHUNK):
            if time.monotonic() > deadline:
                raise ExecutionTimeout(
                    "the response did not finish within the total time limit; it was cut off"
                )
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                truncated = True
                break
    except requests.RequestException as exc:
        raise ExecutionError(
            f"reading the response failed: {type(exc).__name__}: {exc}", error_type=type(exc).__name__
        ) from exc
    finally:
        response.close()
    return ReadBody(b"".join(chunks)[:max_bytes], truncated, content_type)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def decode_body(body: ReadBody, headers: Any) -> Any:
    """JSON when declared (and complete), text otherwise, or a summary for binary media types."""
    media = _media_type(body.content_type)
    if media.startswith(_BINARY_PREFIXES):
        return {"content_type": media, "size_bytes": len(body.content), "note": "binary body not shown"}
    encoding = get_encoding_from_headers(headers) or "utf-8"
    if encoding.lower() == "iso-8859-1" and not media.startswith("text/"):
        encoding = "utf-8"
    try:
        text = body.content.decode(encoding, "replace")
    except LookupError:
        text = body.content.decode("utf-8", "replace")
    is_json = media == "application/json" or media.endswith("+json")
    if is_json and not body.truncated:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ExecutionError(
                f"the server declared JSON ({media}) but the body is not valid JSON: {exc}; "
                f"body starts with {text[:200]!r}",
                error_type="InvalidJSON",
            ) from exc
    return text
