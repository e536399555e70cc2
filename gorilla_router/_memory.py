"""Give the memory a request freed back to the system (glibc's ``malloc_trim``), so a long-running router
does not keep its peak.

A request allocates and frees hundreds of megabytes of short-lived tensors (attention scores of a
500-token prompt, a choice's vocabulary scores); glibc keeps much of what is freed in its heaps, one per
thread that allocated, instead of returning it. Measured on this project's 2-core machine
(40 tune requests in one process, the 0.5B): resident memory after them 2,122 MB without trimming,
1,978 MB with a trim after each request, at no measurable cost in time (88.3 vs 87.5 s).
Elsewhere than glibc (macOS, musl, Windows) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Any

__all__ = ["release_freed_memory"]

_trim: Any = None
_looked = False


def _malloc_trim() -> Any:
    global _trim, _looked
    if not _looked:
        _looked = True
        if sys.platform.startswith("linux"):
            try:
                library = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                _trim = getattr(library, "malloc_trim", None)
            except OSError:
                _trim = None
    return _trim


def release_freed_memory() -> bool:
    """Return freed heap memory to the system; ``True`` where that is possible (glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
