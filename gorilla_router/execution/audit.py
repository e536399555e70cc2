"""An append-only JSON Lines audit log of every call that reaches it, with secrets redacted.

One line per call: time, API id, arguments, status (the guard's decision shows as ``denied`` with its
reason, a dry run as ``dry_run``), error, request description, a bounded excerpt of the output and
timings. Every string is passed through ``redact`` with the spec's secret before it is written, so a
credential never reaches the file even if a server echoes it back.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gorilla_router.execution.base import Executor
from gorilla_router.execution.redaction import redact, secrets_for
from gorilla_router.execution.wrappers import WrapperExecutor
from gorilla_router.specs import ApiCall, ApiSpec, CallResult

__all__ = ["AuditLogExecutor"]

_OUTPUT_EXCERPT_CHARS = 2000


def _excerpt(output: Any) -> Any:
    text = json.dumps(output, ensure_ascii=False, default=repr)
    if len(text) <= _OUTPUT_EXCERPT_CHARS:
        return output
    return {"excerpt": text[:_OUTPUT_EXCERPT_CHARS], "truncated_chars": len(text) - _OUTPUT_EXCERPT_CHARS}


class AuditLogExecutor(WrapperExecutor):
    """Writes one redacted JSON line per call to ``path`` (parent folders are created).

    ``environ`` is where the specs' secrets are looked up for redaction (default: ``os.environ``).
    """

    def __init__(self, inner: Executor, path: Path | str, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(inner)
        self.environ = environ
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        try:
            result = self.inner.execute(call, spec)
        except Exception as exc:
            self._write(call, spec, {"status": "raised", "error": f"{type(exc).__name__}: {exc}"})
            raise
        self._write(
            call,
            spec,
            {
                "status": result.status.value,
                "error": result.error,
                "request": result.request,
                "output": _excerpt(result.output),
                "timings": result.timings,
                "executed_arguments": result.call.arguments if result.call is not None else None,
            },
        )
        return result

    def _write(self, call: ApiCall, spec: ApiSpec, outcome: dict[str, Any]) -> None:
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "api_id": call.api_id,
            "kind": spec.kind,
            "side_effects": spec.side_effects,
            "arguments": call.arguments,
            **outcome,
        }
        line = json.dumps(redact(record, secrets_for(spec, self.environ)), ensure_ascii=False, default=repr)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
