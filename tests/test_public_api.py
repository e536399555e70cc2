"""The public API is what ``__all__`` lists: pin the top-level names; check every listed name resolves.

Pinning the exact list makes adding or dropping a public name a deliberate, reviewed change; resolving every
name of the subpackages catches an ``__all__`` entry whose import was renamed or removed (lazy ``__getattr__``
modules such as ``integrations`` only fail on access, so each name is fetched).
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import gorilla_router

TOP_LEVEL = [
    "ApiCall",
    "ApiSpec",
    "BackendError",
    "CallReason",
    "CallResult",
    "CallStatus",
    "Candidate",
    "ConfigError",
    "Example",
    "ExecutionError",
    "ExecutionTimeout",
    "GenerationError",
    "GorillaRouter",
    "IndexMismatchError",
    "MissingDependencyError",
    "MissingInput",
    "ModelOutputError",
    "Plan",
    "PlannedCall",
    "Policy",
    "PolicyDenied",
    "PythonSpec",
    "RestSpec",
    "RetrievalError",
    "RouterConfig",
    "RouterError",
    "SpecError",
    "UnknownBackendError",
    "UnsafeTargetError",
    "UsageError",
    "ValidationError",
    "__version__",
]

SUBPACKAGES = ["retrieval", "execution", "evaluation", "zoo", "integrations"]


def test_top_level_all_is_pinned():
    assert sorted(gorilla_router.__all__) == TOP_LEVEL
    assert len(set(gorilla_router.__all__)) == len(gorilla_router.__all__), "duplicate names in __all__"


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_top_level_name_imports(name):
    assert getattr(gorilla_router, name, None) is not None, f"gorilla_router.{name} does not resolve"


def test_every_exported_exception_derives_from_router_error():
    exported = [getattr(gorilla_router, name) for name in TOP_LEVEL]
    exceptions = [item for item in exported if isinstance(item, type) and issubclass(item, BaseException)]
    assert gorilla_router.RouterError in exceptions
    assert [e.__name__ for e in exceptions if not issubclass(e, gorilla_router.RouterError)] == []


def test_version_is_a_dotted_string():
    parts = gorilla_router.__version__.split(".")
    assert len(parts) >= 2
    assert all(part.isdigit() for part in parts[:2])


@pytest.mark.parametrize("subpackage", SUBPACKAGES)
def test_subpackage_all_names_resolve(subpackage):
    module = importlib.import_module(f"gorilla_router.{subpackage}")
    names = module.__all__
    assert names, f"gorilla_router.{subpackage}.__all__ is empty"
    assert len(set(names)) == len(names), f"duplicate names in gorilla_router.{subpackage}.__all__"
    unresolved = [name for name in names if getattr(module, name, None) is None]
    assert unresolved == [], f"gorilla_router.{subpackage}.__all__ lists names that do not resolve"


def test_importing_the_package_loads_no_heavy_optional_dependency():
    """Backends and extras are imported lazily: ``import gorilla_router`` must stay cheap (CLI start-up)."""
    heavy = ["torch", "transformers", "sentence_transformers", "chromadb", "langchain_core", "mcp", "openai"]
    probe = f"import sys, gorilla_router; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert loaded == "[]"
