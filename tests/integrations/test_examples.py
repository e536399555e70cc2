"""examples/langchain_agent.py runs as written (with the fast router configuration, by environment)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO_ROOT


@pytest.mark.slow
def test_langchain_agent_example_runs(subprocess_env) -> None:
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / "langchain_agent.py")],
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in completed.stdout.splitlines()}
    result = json.loads(lines["tool result"])
    assert result["status"] == "ok"
    assert result["call"].startswith("math.sqrt(")
    assert lines["agent"] == "I asked the API router; its answer is above."
