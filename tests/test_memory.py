"""Freed heap memory goes back to the system after a request (glibc), so a long-running router shrinks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gorilla_router._memory import release_freed_memory


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux-only")
def test_freed_small_allocations_are_returned_to_the_system() -> None:
    if not release_freed_memory():
        pytest.skip("not glibc")
    # many small blocks (below glibc's mmap threshold) live in the heap; freeing them does not shrink it,
    # except from the top — keep the last block so the freed ones are stranded below it
    blocks = [bytearray(4000) for _ in range(50_000)]  # ~200 MB
    keep = blocks[-1]
    del blocks
    before = resident_mb()
    assert release_freed_memory()
    after = resident_mb()
    assert before - after > 100, (before, after)
    assert len(keep) == 4000
