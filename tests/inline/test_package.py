"""The inline package's public names resolve, and importing it (or the CLI command) does not load torch."""

from __future__ import annotations

import subprocess
import sys

import gorilla_router.inline as inline


def test_every_public_name_resolves() -> None:
    missing = [name for name in inline.__all__ if getattr(inline, name, None) is None]
    assert missing == []


def test_importing_inline_and_its_cli_does_not_import_torch() -> None:
    code = (
        "import sys, gorilla_router.inline, gorilla_router.cli.annotate; "
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
