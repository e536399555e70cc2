"""CPU threads: passive waiting is asked for before torch loads, and then every core is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gorilla_router import _threads


def _fresh(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", *env)}
    environment.pop("GORILLA_ROUTER_TORCH_THREADS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**environment, **env}
    )
    return done.stdout.strip().splitlines()[-1]


_PROBE = (
    "import json, os, sys; {before}import gorilla_router; from gorilla_router._threads import cpu_threads; "
    "print(json.dumps([os.environ.get('OMP_WAIT_POLICY'), cpu_threads(), 'torch' in sys.modules, "
    "len(os.sched_getaffinity(0))]))"
)


def test_importing_the_package_asks_for_passive_waiting_before_torch_and_uses_every_core() -> None:
    policy, threads, torch_loaded, cores = json.loads(_fresh(_PROBE.format(before="")))
    assert policy == "PASSIVE"
    assert not torch_loaded  # the request only counts while torch is not loaded: keep the package light
    assert threads == cores


def test_too_late_or_another_policy_keeps_half_the_cores() -> None:
    policy, threads, _, cores = json.loads(_fresh(_PROBE.format(before="import torch; ")))
    assert (policy, threads) == ("PASSIVE", max(1, cores // 2))  # torch's OpenMP was set up already
    policy, threads, _, cores = json.loads(_fresh(_PROBE.format(before=""), OMP_WAIT_POLICY="active"))
    assert (policy, threads) == ("active", max(1, cores // 2))  # the user's choice is kept
    # The user's own PASSIVE, set before the process started, is in effect even after torch.
    policy, threads, _, cores = json.loads(
        _fresh(_PROBE.format(before="import torch; "), OMP_WAIT_POLICY="PASSIVE")
    )
    assert (policy, threads) == ("PASSIVE", cores)


@pytest.mark.parametrize(("wanted", "expected"), [("3", 3), ("1", 1), ("0", None), ("two", None), ("", None)])
def test_the_override_wins_when_it_is_a_positive_number(
    monkeypatch: pytest.MonkeyPatch, wanted: str, expected: int | None
) -> None:
    monkeypatch.setenv("GORILLA_ROUTER_TORCH_THREADS", wanted)
    monkeypatch.setattr(_threads, "_passive_before_torch", False)
    monkeypatch.setattr(_threads, "_usable_cores", lambda: 8)
    assert _threads.cpu_threads() == (expected if expected is not None else 4)
    monkeypatch.setattr(_threads, "_passive_before_torch", True)
    assert _threads.cpu_threads() == (expected if expected is not None else 8)


def test_fine_tuning_keeps_half_the_cores_even_with_passive_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GORILLA_ROUTER_TORCH_THREADS", raising=False)
    monkeypatch.setattr(_threads, "_passive_before_torch", True)
    monkeypatch.setattr(_threads, "_usable_cores", lambda: 8)
    assert _threads.cpu_threads(every_core=False) == 4
    monkeypatch.setenv("GORILLA_ROUTER_TORCH_THREADS", "3")
    assert _threads.cpu_threads(every_core=False) == 3
