"""Old home of the zoo's standard-library helpers, kept so existing zoo entries keep working.

The helpers live in :mod:`gorilla_router.zoo.stdlib_helpers`, next to the rest of the zoo, and the bundled
entries name them there. A zoo entry written against an earlier release says
``"callable": "gorilla_router.stdlib_helpers:logarithm"``; this alias resolves such entries to the same
functions. Write new entries against ``gorilla_router.zoo.stdlib_helpers``.
"""

from __future__ import annotations

from gorilla_router.zoo import stdlib_helpers as _helpers
from gorilla_router.zoo.stdlib_helpers import *  # noqa: F403 - the alias is exactly the new module's API

__all__ = list(_helpers.__all__)
