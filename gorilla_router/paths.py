"""Where things live on disk: the per-user cache (index, converted model) and the bundled API Zoo.

``GORILLA_ROUTER_CACHE_DIR`` overrides the cache folder (tests point it at a temporary folder);
otherwise ``$XDG_CACHE_HOME/gorilla_router`` or ``~/.cache/gorilla_router``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_zoo_dir", "cache_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """The per-user cache folder, created on first use."""
    override = os.environ.get("GORILLA_ROUTER_CACHE_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "gorilla_router"
    path.mkdir(parents=True, exist_ok=True)
    return path


def bundled_zoo_dir() -> Path:
    """The API Zoo shipped with the package.

    ``gorilla_router/_apizoo`` in an installed wheel, ``apizoo/`` at the repository root in a checkout.
    """
    installed = _PACKAGE_DIR / "_apizoo"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "apizoo"
