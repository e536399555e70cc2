"""The sandbox worker: a child process that imports zoo callables and runs them with data arguments.

Run as a script (``python -I sandbox_worker.py``), it uses only the standard library so a worker starts
fast and does not import this package (or its heavy dependencies). Protocol, one JSON object per line on
private copies of fds 0/1 (the real stdin becomes /dev/null and stdout goes to stderr, so a callable that
prints or reads cannot corrupt the protocol):

1. parent → ``{"sys_path": [...], "memory_mb": int, "file_mb": int}``; the worker applies RLIMIT_AS and
   RLIMIT_FSIZE (irreversible) and answers ``{"ready": true}``;
2. parent → ``{"callable": "pkg.mod:qual", "arguments": {...}, "order": [...], "cpu_s": float}``;
   worker → ``{"ok": true, "output": ...}`` or ``{"ok": false, "error_type": ..., "message": ...}``.

Arguments arrive as JSON data and are passed to the callable as values; nothing is ever evaluated.
The functions ``load_callable``, ``call_with_arguments`` and ``encode_result`` are also used in-process.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

_CALLABLE = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
)
_LOADED: dict[str, Callable[..., Any]] = {}
_REPR_LIMIT = 10_000


def load_callable(target: str) -> Callable[..., Any]:
    """Import ``package.module:qualname``; dunder segments (``__class__`` …) are refused."""
    if target in _LOADED:
        return _LOADED[target]
    if not _CALLABLE.match(target):
        raise PermissionError(f"{target!r} is not a 'package.module:qualname' callable name")
    module_name, qualname = target.split(":", 1)
    if any(part.startswith("__") for part in qualname.split(".") + module_name.split(".")):
        raise PermissionError(f"{target!r} names a dunder attribute; refused")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not callable(obj):
        raise TypeError(f"{target!r} is not callable")
    _LOADED[target] = obj
    return obj  # type: ignore[no-any-return]


def call_with_arguments(fn: Callable[..., Any], arguments: dict[str, Any], order: list[str]) -> Any:
    """Call ``fn`` with named arguments, passing positional-only (and ``*args``) ones positionally.

    ``math.sqrt(x, /)`` cannot take ``x=...``; binding by name through ``inspect.signature`` lets every
    call be written with keywords. Callables without a signature get arguments in the spec's order.
    """
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fn(*[arguments[name] for name in order if name in arguments])
    remaining = dict(arguments)
    star = next((p for p in parameters if p.kind is p.VAR_POSITIONAL and p.name in remaining), None)
    positional: list[Any] = []
    pending_defaults: list[Any] = []
    for p in parameters:
        as_positional = p.kind is p.POSITIONAL_ONLY or (
            star is not None and p.kind is p.POSITIONAL_OR_KEYWORD
        )
        if as_positional:
            if p.name in remaining:
                positional.extend(pending_defaults)
                pending_defaults = []
                positional.append(remaining.pop(p.name))
            elif p.default is not p.empty:
                pending_defaults.append(p.default)
            else:
                raise TypeError(f"missing required argument {p.name!r}")
        elif p.kind is p.VAR_POSITIONAL and p.name in remaining:
            extra = remaining.pop(p.name)
            positional.extend(pending_defaults)
            positional.extend(extra if isinstance(extra, list) else [extra])
        elif p.kind is p.VAR_KEYWORD and isinstance(remaining.get(p.name), dict):
            remaining.update(remaining.pop(p.name))
    return fn(*positional, **remaining)


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    for method in ("tolist", "item", "isoformat"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    raise TypeError(type(value).__name__)


def encode_result(value: Any) -> str:
    """``{"ok": true, "output": ...}`` as JSON; a value JSON cannot hold becomes a marked repr."""
    try:
        return json.dumps({"ok": True, "output": value}, default=_default)
    except (TypeError, ValueError, RecursionError):
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        return json.dumps({"ok": True, "output": {"__repr__": repr(value)[:_REPR_LIMIT], "type": kind}})


def encode_error(exc: BaseException) -> str:
    return json.dumps({"ok": False, "error_type": type(exc).__name__, "message": str(exc)[:_REPR_LIMIT]})


def _serve(proto_in: Any, proto_out: Any) -> None:
    import resource  # POSIX only; imported here so the helpers above work everywhere

    init = json.loads(proto_in.readline())
    sys.path[:] = init["sys_path"]
    for limit, megabytes in (
        (resource.RLIMIT_AS, init["memory_mb"]),
        (resource.RLIMIT_FSIZE, init["file_mb"]),
    ):
        if megabytes:
            resource.setrlimit(limit, (megabytes * 1024 * 1024, megabytes * 1024 * 1024))
    proto_out.write(b'{"ready": true}\n')
    proto_out.flush()
    for line in proto_in:
        request = json.loads(line)
        if request.get("cpu_s"):
            used = resource.getrusage(resource.RUSAGE_SELF)
            soft = int(used.ru_utime + used.ru_stime + request["cpu_s"]) + 1
            hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        try:
            fn = load_callable(request["callable"])
            answer = encode_result(call_with_arguments(fn, request["arguments"], request["order"]))
        except BaseException as exc:  # the callable's failure is data for the parent, even SystemExit
            answer = encode_error(exc)
        proto_out.write(answer.encode("utf-8") + b"\n")
        proto_out.flush()


def main() -> None:
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _serve(proto_in, proto_out)


if __name__ == "__main__":
    main()
