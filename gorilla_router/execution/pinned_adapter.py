"""A requests transport adapter that connects only to the address ``TargetGuard`` checked.

For every request it resolves and checks the URL's host, then opens (or reuses) a urllib3 pool keyed by
the checked IP, keeping the original host name for the ``Host`` header, TLS SNI (``server_hostname``) and
certificate verification (``assert_hostname``). Proxies are never used: a proxy would make the checked
address meaningless. urllib3 retries run inside the same pinned pool.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter

from gorilla_router.execution.targets import Target, TargetGuard

__all__ = ["PinnedAdapter"]


class PinnedAdapter(HTTPAdapter):
    """``HTTPAdapter`` whose connections go to the checked IP of each request's host."""

    def __init__(self, guard: TargetGuard, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.guard = guard
        self._current = threading.local()

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        target = self.guard.check(request.url or "")
        request.headers["Host"] = target.host_header
        self._current.target = target
        try:
            return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={})
        finally:
            self._current.target = None

    def build_connection_pool_key_attributes(
        self, request: PreparedRequest, verify: Any, cert: Any = None
    ) -> Any:
        base_host, base_pool = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params: dict[str, Any] = dict(base_host)
        pool_kwargs: dict[str, Any] = dict(base_pool)
        target: Target | None = getattr(self._current, "target", None)
        if target is None:  # only reachable by calling the adapter outside send(): refuse to guess
            raise RuntimeError("PinnedAdapter used outside send(); no checked target to connect to")
        host_params["host"] = target.ip
        host_params["port"] = target.port
        if target.scheme == "https":
            pool_kwargs["server_hostname"] = target.hostname
            pool_kwargs["assert_hostname"] = target.hostname
        return host_params, pool_kwargs
