"""Send a request and follow redirects by hand: every hop re-checked, counted and stripped as needed.

requests' own redirect handling is turned off so that each hop (1) goes through the pinned, SSRF-checked
adapter again, (2) counts against ``max_redirects``, (3) may only use http(s), (4) loses credential
headers when it leaves the original origin, and (5) turns into a body-less GET after 303 (and after
301/302 of a POST), as browsers do.
"""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import MaxRetryError, ReadTimeoutError

from gorilla_router.errors import ExecutionError, ExecutionTimeout, UnsafeTargetError
from gorilla_router.execution.redaction import SENSITIVE_HEADERS
from gorilla_router.execution.request_builder import OutgoingRequest

__all__ = ["send_following_redirects"]

_REDIRECTS = (301, 302, 303, 307, 308)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _is_timeout(exc: requests.RequestException) -> bool:
    if isinstance(exc, requests.Timeout):
        return True
    inner = exc.args[0] if exc.args else None  # after urllib3 retries a read timeout arrives wrapped
    return isinstance(inner, MaxRetryError) and isinstance(inner.reason, ReadTimeoutError)


def _send_once(
    session: requests.Session,
    prepared: requests.PreparedRequest,
    timeout: tuple[float, float],
    verify: bool | str,
    hops: int,
) -> requests.Response:
    try:
        return session.send(prepared, stream=True, timeout=timeout, allow_redirects=False, verify=verify)
    except UnsafeTargetError as exc:
        if not hops:
            raise
        raise UnsafeTargetError(f"redirect {hops} refused: {exc}") from exc
    except requests.RequestException as exc:
        what = f"{prepared.method} {prepared.url}"
        if _is_timeout(exc):
            raise ExecutionTimeout(f"{what} timed out (connect, read timeouts {timeout} s)") from exc
        raise ExecutionError(
            f"{what} failed: {type(exc).__name__}: {exc}", error_type=type(exc).__name__
        ) from exc


def send_following_redirects(
    session: requests.Session,
    outgoing: OutgoingRequest,
    *,
    timeout: tuple[float, float],
    verify: bool | str,
    max_redirects: int,
    deadline: float,
) -> requests.Response:
    """The final (non-redirect) response, streamed and unread; raises ``ExecutionError`` subclasses."""
    method, url, headers, body = outgoing.method, outgoing.url, dict(outgoing.headers), outgoing.body
    hops = 0
    while True:
        if time.monotonic() > deadline:
            raise ExecutionTimeout(f"the total time limit ran out after {hops} redirect(s)")
        prepared = requests.Request(method, url, headers=headers, data=body).prepare()
        response = _send_once(session, prepared, timeout, verify, hops)
        location = response.headers.get("Location") if response.status_code in _REDIRECTS else None
        if not location:
            return response
        response.close()
        hops += 1
        if hops > max_redirects:
            raise ExecutionError(
                f"more than max_redirects={max_redirects} redirects", error_type="TooManyRedirects"
            )
        next_url = urljoin(url, location.encode("latin-1", "replace").decode("utf-8", "replace"))
        next_url = next_url.split("#", 1)[0]
        scheme = urlsplit(next_url).scheme.lower()
        if scheme not in ("http", "https"):
            raise UnsafeTargetError(
                f"redirect {hops} refused: scheme {scheme!r} in {next_url!r}; only http(s)"
            )
        status = response.status_code
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            method, body = "GET", None
            headers = {
                k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")
            }
        if _origin(next_url) != _origin(url):
            headers = {
                k: v
                for k, v in headers.items()
                if k.lower() not in SENSITIVE_HEADERS and not any(s in v for s in outgoing.secrets)
            }
        url = next_url
