"""Dependencies point one way: what a module loads or imports shows it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import gorilla_router

PACKAGE = Path(gorilla_router.__file__).parent


def loaded_after(statement: str, prefixes: list[str]) -> list[str]:
    """The modules under ``prefixes`` loaded by ``statement`` in a fresh interpreter."""
    probe = (
        f"import json, sys; {statement}; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith(tuple({prefixes!r})))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize(
    ("statement", "must_not_load"),
    [
        ("import gorilla_router.demo.tour", ["gorilla_router.cli"]),
        ("import gorilla_router.terminal.progress, gorilla_router.terminal.render", ["gorilla_router.cli"]),
        ("import gorilla_router", ["gorilla_router.integrations", "gorilla_router.cli"]),
        # choosing a model backend costs nothing until it loads a model
        (
            "import gorilla_router.generation.transformers_backend, "
            "gorilla_router.generation.toolcall.backend",
            ["torch", "transformers"],
        ),
    ],
)
def test_lower_layers_do_not_load_higher_ones(statement: str, must_not_load: list[str]) -> None:
    assert loaded_after(statement, must_not_load) == []


def package_imports(module: Path) -> set[str]:
    """The ``gorilla_router`` modules a source file imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("gorilla_router")}


@pytest.mark.parametrize("name", ["callsyntax.py", "schemas.py"])
def test_the_shared_cores_next_to_specs_import_nothing_from_the_package(name: str) -> None:
    assert package_imports(PACKAGE / name) == set()
