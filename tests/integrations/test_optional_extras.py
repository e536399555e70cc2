"""Missing extras name the exact pip install; the ``mcp`` CLI command is registered and fails clearly."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gorilla_router.cli import app
from gorilla_router.errors import MissingDependencyError

from .conftest import CLI


@pytest.mark.parametrize(
    ("module", "blocked", "install"),
    [
        ("gorilla_router.integrations.langchain_tool", "langchain_core.tools", "gorilla-router[langchain]"),
        (
            "gorilla_router.integrations.langchain_chat",
            "langchain_core.messages",
            "gorilla-router[langchain]",
        ),
        ("gorilla_router.integrations.mcp_server", "mcp.server.mcpserver", "gorilla-router[mcp]"),
    ],
)
def test_missing_framework_names_the_install_line(monkeypatch, module, blocked, install) -> None:
    monkeypatch.setitem(sys.modules, blocked, None)  # as if the package were not installed
    monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(MissingDependencyError, match=rf"pip install '{re.escape(install)}'"):
        importlib.import_module(module)


def test_lazy_package_attributes() -> None:
    import gorilla_router.integrations as integrations

    assert integrations.GorillaRouterTool.__name__ == "GorillaRouterTool"
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = integrations.Nope


def test_mcp_command_is_registered() -> None:
    result = CliRunner().invoke(app, ["mcp", "--help"])
    assert result.exit_code == 0
    for option in ("--transport", "--host", "--port", "--allow-writes"):
        assert option in result.output


def test_mcp_command_reports_a_bad_configuration(subprocess_env) -> None:
    env = dict(subprocess_env, GORILLA_ROUTER_BACKEND="nonsense-backend")
    completed = subprocess.run(
        [*CLI, "mcp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 3
    assert "unknown model backend 'nonsense-backend'" in completed.stderr
    assert completed.stdout == ""  # stdout is the protocol channel: nothing else may be written there
