"""A warm pool of sandbox workers: calls reuse a started worker; broken ones are replaced in the background.

At most ``size`` workers exist at a time (a semaphore bounds concurrent calls). A worker whose call timed
out or died is killed and a fresh one is started in a background thread, so the next call is warm again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from gorilla_router.errors import ExecutionError
from gorilla_router.execution.sandbox import SandboxWorker

__all__ = ["WorkerPool"]


class WorkerPool:
    """Up to ``size`` warm workers; a broken or killed worker is replaced in the background."""

    def __init__(
        self, size: int = 1, memory_mb: int = 512, file_mb: int = 64, passthrough: Sequence[str] = ()
    ) -> None:
        self.size, self.memory_mb, self.file_mb, self.passthrough = (
            size,
            memory_mb,
            file_mb,
            tuple(passthrough),
        )
        self._idle: list[SandboxWorker] = []
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._closed = False

    def _spawn(self) -> SandboxWorker:
        return SandboxWorker(self.memory_mb, self.file_mb, self.passthrough)

    def start(self) -> None:
        """Start every worker now (otherwise they start on first use)."""
        workers = [self._spawn() for _ in range(self.size - len(self._idle))]
        with self._lock:
            self._idle.extend(workers)

    def _replace_later(self) -> None:
        def spawn() -> None:
            try:
                worker = self._spawn()
            except ExecutionError:
                return  # the next call starts one itself and reports the failure
            self._give_back(worker)

        threading.Thread(target=spawn, name="sandbox-respawn", daemon=True).start()

    def run(self, request: dict[str, Any], timeout_s: float) -> Any:
        """Run one request on a warm worker; raises ``ExecutionTimeout`` / ``ExecutionError`` on failure."""
        with self._slots:
            with self._lock:
                if self._closed:
                    raise ExecutionError("the sandbox pool is closed")
                worker = self._idle.pop() if self._idle else None
            if worker is None or not worker.alive:
                if worker is not None:
                    worker.kill()
                worker = self._spawn()
            try:
                answer = worker.call_raw(request, timeout_s)
            except ExecutionError:
                worker.kill()
                self._replace_later()
                raise
            self._give_back(worker)
            return answer

    def _give_back(self, worker: SandboxWorker) -> None:
        with self._lock:
            keep = not self._closed and len(self._idle) < self.size
            if keep:
                self._idle.append(worker)
        if not keep:
            worker.kill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()
