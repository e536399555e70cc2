"""How many CPU threads torch runs the router's models on, decided in one place.

OpenMP worker threads normally *spin* while they wait for work. On a machine with cores to spare that
is the fastest choice, but when another process holds a core the spinning threads fight it and every
step waits for the slowest. Measured on this project's 2-core machine (`benchmarks/bench_threads.py`: the
0.5B model in bf16, a 300-token forward pass, alone / beside one busy process): one thread 1.43 / 1.52 s,
two spinning threads 0.82 / 2.14 s, two threads told to wait passively (``OMP_WAIT_POLICY=PASSIVE``)
0.84 / 1.49 s — the speed of every core when the machine is quiet and one thread's when it is not.
So the package asks for passive waiting before torch is first imported and then uses every core; where
that request came too late (torch already imported, its OpenMP runtime set up) or the user chose another
policy, it keeps the cautious default of half the cores. ``GORILLA_ROUTER_TORCH_THREADS`` overrides both.
"""

from __future__ import annotations

import os
import sys

__all__ = ["cpu_threads", "prefer_passive_waiting"]

_WAIT_POLICY = "OMP_WAIT_POLICY"
_passive_before_torch = False


def prefer_passive_waiting() -> None:
    """Ask OpenMP for passive waiting unless the user set a policy; note whether it can still apply.

    Runs when the package is imported. The OpenMP runtime reads the variable once, when torch loads it,
    so the request counts only if torch is not imported yet, or the user set ``PASSIVE`` themselves.
    """
    global _passive_before_torch
    set_by_user = _WAIT_POLICY in os.environ
    os.environ.setdefault(_WAIT_POLICY, "PASSIVE")
    chosen = os.environ[_WAIT_POLICY].strip().upper()
    _passive_before_torch = chosen == "PASSIVE" and (set_by_user or "torch" not in sys.modules)


def _usable_cores() -> int:
    """The CPUs this process may run on (a container's or ``taskset``'s limit), else the machine's."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 2)


def cpu_threads(*, every_core: bool = True) -> int:
    """Threads for torch on the CPU: the override, else every core with passive waiting, else half.

    ``every_core=False`` keeps half the cores even with passive waiting — for fine-tuning, whose long
    steps were measured only that way (2 shared cores: a 0.5B step of 4 samples took 96 s on two spinning
    threads, 22 s on one). Callers only ever *lower* torch's own default (one thread per physical core).
    """
    wanted = os.environ.get("GORILLA_ROUTER_TORCH_THREADS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    cores = _usable_cores()
    return cores if every_core and _passive_before_torch else max(1, cores // 2)
