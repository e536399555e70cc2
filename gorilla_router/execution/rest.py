"""The REST executor: sends the request a spec describes, safely (SSRF-checked, pinned, bounded).

Safety properties (each tested in ``tests/execution``):

* the host comes from the spec's ``base_url`` or a configured override — never from the model;
* every connection, including every redirect hop, goes through ``TargetGuard`` and ``PinnedAdapter``:
  resolved once, all addresses checked, connected to the checked IP with Host and TLS SNI kept;
* redirects are followed by hand, re-checked, counted (``max_redirects``) and credentials are dropped
  when a redirect leaves the original origin; 303 (and 301/302 after POST) become GET without a body;
* connect/read timeouts per attempt plus a total deadline; a streamed, cut and reported size cap;
* retries (connection errors, 502/503/504) only for idempotent methods; environment proxies are ignored;
* the credential never appears in the result, its ``request`` description or an error message.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import requests
from urllib3.util import Retry

from gorilla_router.errors import (
    ConfigError,
    ExecutionError,
    RouterError,
)
from gorilla_router.execution.pinned_adapter import PinnedAdapter
from gorilla_router.execution.redaction import redact
from gorilla_router.execution.redirects import send_following_redirects
from gorilla_router.execution.request_builder import OutgoingRequest, build_request
from gorilla_router.execution.responses import decode_body, read_capped
from gorilla_router.execution.targets import TargetGuard
from gorilla_router.execution.util import check_call_for_spec
from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus, RestSpec

__all__ = ["IDEMPOTENT_METHODS", "RestExecutor"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class RestExecutor:
    """Executes ``kind="rest"`` specs with requests. See the module docstring for the guarantees."""

    def __init__(
        self,
        *,
        allow_private: Sequence[str] = (),
        base_url_overrides: Mapping[str, str] | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        total_timeout_s: float = 60.0,
        max_response_bytes: int = 5 * 1024 * 1024,
        max_redirects: int = 5,
        retries: int = 2,
        verify: bool | str = True,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if (
            max_response_bytes <= 0
            or max_redirects < 0
            or retries < 0
            or min(timeout) <= 0
            or total_timeout_s <= 0
        ):
            raise ConfigError("RestExecutor limits must be positive (max_redirects and retries may be 0)")
        self.base_url_overrides = dict(base_url_overrides or {})
        for key, url in self.base_url_overrides.items():
            if not url.startswith(("http://", "https://")):
                raise ConfigError(
                    f"base_url_overrides[{key!r}] must start with http:// or https://, got {url!r}"
                )
        self.guard = TargetGuard(allow_private)
        self.timeout = timeout
        self.total_timeout_s = total_timeout_s
        self.max_response_bytes = max_response_bytes
        self.max_redirects = max_redirects
        self.verify = verify
        self.environ = environ
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            redirect=None,
            allowed_methods=IDEMPOTENT_METHODS,
            status_forcelist=(502, 503, 504),
            backoff_factor=0.05,
            backoff_max=1.0,
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies, no .netrc credentials from the environment
        adapter = PinnedAdapter(self.guard, max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        self._session.close()

    def base_url_for(self, spec: ApiSpec) -> str | None:
        """A configured override for this API (by id first, then provider), or ``None``."""
        return self.base_url_overrides.get(spec.id) or self.base_url_overrides.get(spec.provider)

    def build(self, call: ApiCall, spec: ApiSpec) -> OutgoingRequest:
        check_call_for_spec(call, spec, RestSpec)
        return build_request(call, spec, base_url=self.base_url_for(spec), environ=self.environ)

    def preview(self, call: ApiCall, spec: ApiSpec) -> dict[str, Any]:
        return self.build(call, spec).describe()

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        started = time.perf_counter()
        outgoing: OutgoingRequest | None = None
        check_call_for_spec(call, spec, RestSpec)
        try:
            outgoing = self.build(call, spec)
            return self._send(call, outgoing, started)
        except RouterError as exc:
            secrets = list(outgoing.secrets) if outgoing else []
            return CallResult(
                call=call,
                status=CallStatus.ERROR,
                reason=CallReason.EXECUTION_FAILED,
                error=redact(f"{type(exc).__name__}: {exc}", secrets),
                request=outgoing.describe() if outgoing else None,
                timings={"execute_s": time.perf_counter() - started},
            )

    def _send(self, call: ApiCall, outgoing: OutgoingRequest, started: float) -> CallResult:
        secrets = list(outgoing.secrets)
        deadline = time.monotonic() + self.total_timeout_s
        response = send_following_redirects(
            self._session,
            outgoing,
            timeout=self.timeout,
            verify=self.verify,
            max_redirects=self.max_redirects,
            deadline=deadline,
        )
        body = read_capped(response, self.max_response_bytes, deadline)
        described = outgoing.describe()
        described["response"] = {
            "status_code": response.status_code,
            "content_type": body.content_type,
            "bytes": len(body.content),
            "truncated": body.truncated,
            "final_url": redact(response.url, secrets),
        }
        timings = {"execute_s": time.perf_counter() - started}
        if body.truncated:
            return CallResult(
                call=call,
                status=CallStatus.ERROR,
                reason=CallReason.EXECUTION_FAILED,
                request=described,
                timings=timings,
                output=redact(body.content.decode("utf-8", "replace"), secrets),
                error=(
                    f"the response exceeded max_response_bytes={self.max_response_bytes} and was cut there; "
                    f"raise max_response_bytes to read more"
                ),
            )
        try:
            output = redact(decode_body(body, response.headers), secrets)
        except ExecutionError:
            if response.status_code < 400:
                raise
            output = redact(body.content.decode("utf-8", "replace"), secrets)
        if response.status_code >= 400:
            excerpt = str(output)[:300]
            return CallResult(
                call=call,
                status=CallStatus.ERROR,
                reason=CallReason.EXECUTION_FAILED,
                request=described,
                timings=timings,
                output=output,
                error=redact(
                    f"HTTP {response.status_code} {response.reason} from {outgoing.method} "
                    f"{response.url}: {excerpt}",
                    secrets,
                ),
            )
        return CallResult(
            call=call,
            status=CallStatus.OK,
            reason=CallReason.EXECUTED,
            output=output,
            request=described,
            timings=timings,
        )
