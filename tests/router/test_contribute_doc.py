"""examples/contribute_an_api.md runs as written: its files are written, its shell and Python blocks run.

Blocks run in a fresh folder with the fast fakes chosen by configuration (TestModel, hash embedder), which is
how the document's commands behave on any backend; the real models run in the end-to-end tests.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "examples" / "contribute_an_api.md"
BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)```", re.DOTALL)


def _blocks() -> list[tuple[str, str | None, str]]:
    return [(m["lang"], m["file"], m["body"]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "GORILLA_ROUTER_CACHE_DIR": str(tmp_path / "cache"),
        "GORILLA_ROUTER_BACKEND": "test",
        "GORILLA_ROUTER_EMBEDDER": "hash",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }


def test_the_document_has_a_file_a_shell_and_a_python_block() -> None:
    kinds = [(lang, file is not None) for lang, file, _ in _blocks()]
    assert ("json", True) in kinds
    assert ("bash", False) in kinds
    assert ("python", False) in kinds


def test_every_block_runs_as_written(tmp_path: Path, env: dict[str, str]) -> None:
    outputs = []
    for lang, file, body in _blocks():
        if file is not None:
            target = tmp_path / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif lang == "bash":
            for line in filter(None, (raw.strip() for raw in body.splitlines())):
                done = subprocess.run(
                    shlex.split(line),
                    cwd=tmp_path,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
                assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
                outputs.append(done.stdout)
        elif lang == "python":
            done = subprocess.run(
                [sys.executable, "-c", body],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            outputs.append(done.stdout)
    text = "\n".join(outputs)
    assert "colorsys.rgb_to_hsv" in text
    assert "ok [0.0833" in text
    assert "invalid" in text
    assert "'r'" in text
