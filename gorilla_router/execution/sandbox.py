"""One sandbox worker process, seen from the parent: start it, send a call, enforce the deadline.

Each worker is ``python -I sandbox_worker.py`` in its own session and process group, in a private
temporary folder, with a scrubbed environment (no parent secrets: only PATH, locale and thread-count
settings plus names the user passes through explicitly), under RLIMIT_AS / RLIMIT_FSIZE and a per-call
RLIMIT_CPU. The parent enforces a wall-clock timeout per call: past it the worker's process group is
killed and ``ExecutionTimeout`` is raised; a worker that dies (memory or CPU limit, ``os._exit``) is
reported as ``ExecutionError`` naming the signal or exit code. ``WorkerPool`` keeps warm workers.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gorilla_router.errors import ExecutionError, ExecutionTimeout

__all__ = ["SandboxWorker", "scrubbed_environment"]

WORKER_SCRIPT = Path(__file__).with_name("sandbox_worker.py")
_SAFE_ENV = ("PATH", "LANG", "LC_ALL", "TZ")


def scrubbed_environment(workdir: str, passthrough: Sequence[str] = ()) -> dict[str, str]:
    """The only environment a worker sees: nothing secret unless named in ``passthrough``."""
    env = {name: os.environ[name] for name in (*_SAFE_ENV, *passthrough) if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update(
        {
            "HOME": workdir,
            "TMPDIR": workdir,
            "PYTHONDONTWRITEBYTECODE": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
    )
    return env


class SandboxWorker:
    """One worker process; ``call`` sends a request and waits for its answer within a deadline."""

    def __init__(
        self, memory_mb: int, file_mb: int, passthrough: Sequence[str], start_timeout_s: float = 60.0
    ) -> None:
        self.workdir = tempfile.mkdtemp(prefix="gorilla-sandbox-")
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self.workdir,
            env=scrubbed_environment(self.workdir, passthrough),
            start_new_session=True,
        )
        self._buffer = b""
        init = {
            "sys_path": [os.path.abspath(p or os.curdir) for p in sys.path],
            "memory_mb": memory_mb,
            "file_mb": file_mb,
        }
        answer = self.call_raw(init, start_timeout_s)
        if not answer.get("ready"):
            self.kill()
            raise ExecutionError(f"sandbox worker failed to start: {answer}")

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def call_raw(self, message: dict[str, Any], timeout_s: float, max_bytes: int = 64 * 1024 * 1024) -> Any:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._died() from exc
        deadline = time.monotonic() + timeout_s
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    self.kill()
                    raise ExecutionTimeout(
                        f"the call did not finish within {timeout_s:g} s; its worker was killed"
                    )
                chunk = os.read(fd, 1024 * 1024)
                if not chunk:
                    raise self._died()
                self._buffer += chunk
                if len(self._buffer) > max_bytes:
                    self.kill()
                    raise ExecutionError(
                        f"the result is larger than {max_bytes} bytes; the worker was killed"
                    )
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _died(self) -> ExecutionError:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            hint = (
                " (CPU time limit)"
                if name == "SIGXCPU"
                else " (memory limit or killed)"
                if name == "SIGKILL"
                else ""
            )
            return ExecutionError(f"the sandbox worker was killed by {name}{hint}", error_type=name)
        return ExecutionError(
            f"the sandbox worker exited unexpectedly with code {code}", error_type="WorkerExit"
        )

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the worker and anything it spawned
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
