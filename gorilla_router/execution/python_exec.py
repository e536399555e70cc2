"""The Python executor: runs a zoo spec's callable in a sandboxed warm worker (or, opted in, in-process).

Only the callable the spec names is imported — the call contributes argument *values* only, sent as JSON
data and bound by name (positional-only parameters such as ``math.sqrt(x, /)`` are passed positionally).
``allowed_callables`` optionally pins the set of callables (e.g. every callable in the loaded zoo); any
other is denied. ``in_process_allow`` (globs such as ``"math:*"``) opts trusted, pure functions into
running in this process: faster, but with no timeout or resource limit — use it only for code you trust.

Trust model: the sandbox bounds what a call may cost (time, CPU, memory, file size) and what it can see of
the parent (no secrets in its environment, its own working folder). It is not a filesystem or network
jail: zoo callables are reviewed code; what the sandbox protects against is model-written *arguments*
driving that code into runaway, crashing or secret-leaking behaviour. For untrusted code use a container.
"""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import Collection, Sequence
from fnmatch import fnmatchcase
from typing import Any

from gorilla_router.errors import ConfigError, ExecutionError
from gorilla_router.execution.sandbox_worker import (
    call_with_arguments,
    encode_error,
    encode_result,
    load_callable,
)
from gorilla_router.execution.util import check_call_for_spec
from gorilla_router.execution.worker_pool import WorkerPool
from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus, PythonSpec

__all__ = ["PythonExecutor"]


class PythonExecutor:
    """Executes ``kind="python"`` specs; results are JSON data or ``{"__repr__": ..., "type": ...}``."""

    def __init__(
        self,
        *,
        pool_size: int = 1,
        timeout_s: float = 10.0,
        memory_mb: int = 512,
        cpu_s: float | None = None,
        file_mb: int = 64,
        in_process_allow: Sequence[str] = (),
        allowed_callables: Collection[str] | None = None,
        env_passthrough: Sequence[str] = (),
    ) -> None:
        if pool_size < 1 or timeout_s <= 0 or memory_mb < 0 or (cpu_s is not None and cpu_s <= 0):
            raise ConfigError(
                "PythonExecutor needs pool_size >= 1, timeout_s > 0, cpu_s > 0 and memory_mb >= 0"
            )
        self.timeout_s = timeout_s
        self.cpu_s = cpu_s if cpu_s is not None else timeout_s
        self.memory_mb = memory_mb
        self.in_process_allow = tuple(in_process_allow)
        self.allowed_callables = None if allowed_callables is None else frozenset(allowed_callables)
        self.pool = WorkerPool(pool_size, memory_mb=memory_mb, file_mb=file_mb, passthrough=env_passthrough)
        self._finalizer = weakref.finalize(self, self.pool.close)

    def start(self) -> None:
        """Start the worker pool now, so the first call does not pay for it."""
        self.pool.start()

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> PythonExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _in_process(self, target: str) -> bool:
        return any(fnmatchcase(target, pattern) for pattern in self.in_process_allow)

    def preview(self, call: ApiCall, spec: ApiSpec) -> dict[str, Any]:
        target = check_call_for_spec(call, spec, PythonSpec).callable
        where = "in-process" if self._in_process(target) else "sandbox worker"
        return {"kind": "python", "callable": target, "arguments": dict(call.arguments), "runs": where}

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        target = check_call_for_spec(call, spec, PythonSpec).callable
        started = time.perf_counter()
        if self.allowed_callables is not None and target not in self.allowed_callables:
            return CallResult(
                call=call,
                status=CallStatus.DENIED,
                reason=CallReason.DENIED_BY_POLICY,
                error=f"callable {target!r} is not in the zoo's allowed callables; refused",
            )
        try:
            arguments = json.loads(json.dumps(call.arguments))
        except (TypeError, ValueError) as exc:
            return CallResult(
                call=call,
                status=CallStatus.ERROR,
                reason=CallReason.EXECUTION_FAILED,
                error=f"arguments are not JSON data: {exc}",
            )
        request = {
            "callable": target,
            "arguments": arguments,
            "order": list(spec.properties),
            "cpu_s": self.cpu_s,
        }
        try:
            answer = (
                self._run_here(request)
                if self._in_process(target)
                else self.pool.run(request, self.timeout_s)
            )
        except ExecutionError as exc:
            return CallResult(
                call=call,
                status=CallStatus.ERROR,
                reason=CallReason.EXECUTION_FAILED,
                error=f"{type(exc).__name__}: {exc}",
                request=self.preview(call, spec),
                timings={"execute_s": time.perf_counter() - started},
            )
        timings = {"execute_s": time.perf_counter() - started}
        if answer.get("ok"):
            return CallResult(
                call=call,
                status=CallStatus.OK,
                reason=CallReason.EXECUTED,
                output=answer.get("output"),
                timings=timings,
                request=self.preview(call, spec),
            )
        message = f"{answer.get('error_type')}: {answer.get('message')}"
        if answer.get("error_type") == "MemoryError":
            message += f" (the sandbox memory limit is {self.memory_mb} MB)"
        return CallResult(
            call=call,
            status=CallStatus.ERROR,
            reason=CallReason.EXECUTION_FAILED,
            error=message,
            timings=timings,
            request=self.preview(call, spec),
        )

    @staticmethod
    def _run_here(request: dict[str, Any]) -> Any:
        try:
            fn = load_callable(request["callable"])
            text = encode_result(call_with_arguments(fn, request["arguments"], request["order"]))
        except Exception as exc:
            text = encode_error(exc)
        return json.loads(text)
