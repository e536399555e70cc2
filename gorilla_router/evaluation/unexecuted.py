"""The callable home of benchmark functions: a module that refuses every attribute.

Specs built from BFCL / OpenFunctions docs need a ``callable`` (``kind="python"``), but the benchmarks score
the call a model *writes*; there is no function behind ``coffee_shop.find_nearby``. Their callables point
here (``gorilla_router.evaluation.unexecuted:<id>``) so that anything that tries to import and run one —
an executor, ``zoo validate`` — gets a clear ``ExecutionError`` instead of running something else.
"""

from __future__ import annotations

from gorilla_router.errors import ExecutionError

__all__: list[str] = []


def __getattr__(name: str) -> object:
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(name)
    raise ExecutionError(
        f"{name!r} is a benchmark function (BFCL / OpenFunctions): evaluation scores the call a model writes "
        "and never executes it; there is no implementation to run",
        error_type="NotExecutable",
    )
