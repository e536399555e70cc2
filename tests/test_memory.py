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


def test_importing_the_package_bounds_onednn_s_kernel_cache_unless_the_user_chose() -> None:
    import json
    import os
    import subprocess

    probe = (
        "import json, os, gorilla_router; "
        "print(json.dumps(os.environ.get('ONEDNN_PRIMITIVE_CACHE_CAPACITY')))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "ONEDNN_PRIMITIVE_CACHE_CAPACITY"}

    def run(**extra: str) -> object:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            env={**environment, **extra},
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert run() == "64"
    assert run(ONEDNN_PRIMITIVE_CACHE_CAPACITY="512") == "512"
