"""Fixtures for the integration tests: one fast router over the bundled zoo, shared by the session.

Fast means the ``test`` model backend (answers with the top candidate's example call, through the real
parser) and the ``hash`` embedder, over a real embedded Chroma in a temporary folder and the real
executor stack (validator, guard, sandboxed Python executor). The retrieval threshold is off because hash
vectors have no meaningful cosine scale. Subprocess servers get the same configuration by environment.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest

from gorilla_router.config import RouterConfig
from gorilla_router.router import GorillaRouter

REPO_ROOT = Path(__file__).resolve().parents[2]


def fast_settings(folder: Path) -> dict[str, str]:
    """The fast router's configuration as environment variables (for servers in subprocesses)."""
    return {
        "GORILLA_ROUTER_BACKEND": "test",
        "GORILLA_ROUTER_EMBEDDER": "hash",
        "GORILLA_ROUTER_MIN_SCORE": "0",
        "GORILLA_ROUTER_CHROMA_PATH": str(folder / "index"),
        "GORILLA_ROUTER_CACHE_DIR": str(folder / "cache"),
    }


@functools.lru_cache(maxsize=1)
def shared_router() -> GorillaRouter:
    """Built once per session (standard-suite properties cannot take fixtures, so this is a function)."""
    folder = Path(tempfile.mkdtemp(prefix="gorilla-integrations-"))
    router = GorillaRouter(
        config=RouterConfig(backend="test", embedder="hash", min_score=0, chroma_path=folder / "index")
    )
    previous = os.environ.get("GORILLA_ROUTER_CACHE_DIR")
    os.environ["GORILLA_ROUTER_CACHE_DIR"] = str(folder / "cache")  # keep the index marker here
    try:
        router.warm_up()
    finally:
        if previous is None:
            del os.environ["GORILLA_ROUTER_CACHE_DIR"]
        else:
            os.environ["GORILLA_ROUTER_CACHE_DIR"] = previous

    def cleanup() -> None:
        router.close()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(cleanup)
    return router


@pytest.fixture
def router() -> GorillaRouter:
    return shared_router()


@pytest.fixture
def subprocess_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a server subprocess: the fast configuration, no hub access, this checkout first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GORILLA_ROUTER_")}
    env.update(fast_settings(tmp_path))
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


CLI = [sys.executable, "-c", "from gorilla_router.cli import main; main()"]
