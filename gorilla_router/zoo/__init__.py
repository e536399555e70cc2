"""The API Zoo: load, validate and save API specs; import them from other formats.

``ApiZoo`` is the registry other stages use (``ApiZoo.bundled()``, ``ApiZoo.load(path)``);
``validate_paths`` runs the deep checks behind ``gorilla-router zoo validate``; importers for the
community Gorilla format, OpenAPI 3 and Python modules live in ``gorilla_router.zoo.importers``.
"""

from __future__ import annotations

from gorilla_router.zoo.registry import ApiZoo, UnknownApiError
from gorilla_router.zoo.validate import ValidationReport, validate_paths, validate_specs, validate_zoo

__all__ = [
    "ApiZoo",
    "UnknownApiError",
    "ValidationReport",
    "validate_paths",
    "validate_specs",
    "validate_zoo",
]
