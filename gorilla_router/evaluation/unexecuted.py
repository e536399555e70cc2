"""The callable home of benchmark functions: a module that refuses every attribute.

Specs built from BFCL / OpenFunctions docs need a ``callable`` (``kind="python"``), but the benchmarks score
the call a model *writes*; there is no function behind ``coffee_shop.find_nearby``. Their callables point
here (``gorilla_router.evaluation.unexecuted:<id>``) so that anything that tries to import and run one —
an executor, ``zoo validate`` — gets a clear ``ExecutionError`` instead of running something else.
"""

from __future__ import annotations

from gorilla_router.errors import ExecutionError

__all__ = ["NotExecutableError"]


class NotExecutableError(ExecutionError, AttributeError):
    """Raised for every benchmark function; also an ``AttributeError`` so ``hasattr`` probes stay quiet."""


def __getattr__(name: str) -> object:
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(name)
    raise NotExecutableError(
        f"{__name__}:{name}… is a benchmark function (BFCL / OpenFunctions / APIBench): evaluation scores "
        "the call a model writes and never executes it; there is no implementation to run",
        error_type="NotExecutable",
    )
