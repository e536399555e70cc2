"""Importers: other API description formats → ``ApiSpec``s, with an ``ImportReport`` of what was skipped.

* ``import_gorilla_apizoo(*paths)`` — the community Gorilla API Zoo JSON files (lenient);
* ``import_openapi(document)`` / ``openapi_operation(document, operation_id)`` — OpenAPI 3;
* ``import_python_module(name)`` / ``spec_from_callable("module:qualname")`` — Python functions.
"""

from __future__ import annotations

from gorilla_router.zoo.importers.gorilla_apizoo import import_gorilla_apizoo
from gorilla_router.zoo.importers.openapi import import_openapi, openapi_operation
from gorilla_router.zoo.importers.python_module import import_python_module, spec_from_callable
from gorilla_router.zoo.importers.report import ImportNote, ImportReport

__all__ = [
    "ImportNote",
    "ImportReport",
    "import_gorilla_apizoo",
    "import_openapi",
    "import_python_module",
    "openapi_operation",
    "spec_from_callable",
]
