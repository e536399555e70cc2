"""The sandboxed Python executor: limits, isolation, mapping of results and errors, argument safety."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gorilla_router.execution.dispatch import build_executor
from gorilla_router.execution.fakes import RecordingExecutor
from gorilla_router.execution.python_exec import PythonExecutor
from gorilla_router.specs import ApiCall, ApiSpec, CallStatus

HERE = str(Path(__file__).parent)
INJECTION = "__import__('os').system('touch pwned.txt')"


@pytest.fixture(scope="session", autouse=True)
def samples_importable() -> Iterator[None]:
    sys.path.insert(0, HERE)  # workers copy the parent's sys.path when they start
    yield
    sys.path.remove(HERE)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[PythonExecutor]:
    with PythonExecutor(timeout_s=5, memory_mb=256) as executor:
        executor.start()
        yield executor


def spec_for(target: str, *names: str, api_id: str = "samples.fn", required: tuple[str, ...] = ()) -> ApiSpec:
    properties = {name: {} for name in names}
    return ApiSpec(
        id=api_id,
        name=api_id,
        description="sample",
        kind="python",
        callable=target,
        parameters={"type": "object", "properties": properties, "required": list(required)},
    )


def run(executor: Any, target: str, **arguments: Any) -> Any:
    spec = spec_for(target, *arguments)
    return executor.execute(ApiCall(api_id=spec.id, arguments=arguments), spec)


def test_results_come_back_as_json_data(sandbox):
    assert run(sandbox, "sandbox_samples:echo", text={"a": [1, 2.5, None, True]}).output == {
        "a": [1, 2.5, None, True]
    }
    assert run(sandbox, "sandbox_samples:add", a=2).output == 4
    result = run(sandbox, "sandbox_samples:make_object")
    assert result.ok
    assert result.output["__repr__"].startswith("<object object")
    assert result.output["type"] == "builtins.object"


def test_positional_only_and_star_parameters_bind_by_name(sandbox):
    assert run(sandbox, "math:sqrt", x=16).output == 4.0
    assert run(sandbox, "sandbox_samples:positional_only", a=1, b=2).output == [1, 2, 0]
    assert run(sandbox, "sandbox_samples:positional_only", a=1, b=2, c=3).output == [1, 2, 3]
    assert run(sandbox, "sandbox_samples:star_args", first=1, rest=[2, 3]).output == [1, 2, 3]


def test_exceptions_are_mapped_to_type_and_message(sandbox):
    result = run(sandbox, "sandbox_samples:boom", message="no burgers left")
    assert result.status is CallStatus.ERROR
    assert result.error == "ValueError: no burgers left"
    assert run(sandbox, "math:sqrt", x=-1).error == "ValueError: math domain error"


def test_printing_does_not_corrupt_the_protocol(sandbox):
    assert run(sandbox, "sandbox_samples:chatty", text="hi").output == "HI"
    assert run(sandbox, "builtins:input").error.startswith("EOFError")  # stdin is /dev/null


def test_injection_string_is_only_ever_a_string(sandbox, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(sandbox, "sandbox_samples:echo", text=INJECTION)
    assert result.output == INJECTION
    assert run(sandbox, "builtins:len", obj=INJECTION).output == len(INJECTION)
    worker_dir = Path(run(sandbox, "sandbox_samples:workdir").output)
    router_stack = build_executor(rest=RecordingExecutor(), python=sandbox)
    spec = spec_for("sandbox_samples:echo", "text", required=("text",))
    stacked = router_stack.execute(ApiCall(api_id=spec.id, arguments={"text": INJECTION}), spec)
    assert stacked.output == INJECTION
    for folder in (tmp_path, worker_dir, Path(HERE), Path.cwd()):
        assert not (folder / "pwned.txt").exists()


def test_callables_outside_the_zoo_are_refused():
    with PythonExecutor(allowed_callables={"sandbox_samples:echo"}) as executor:
        result = run(executor, "os:system", command="touch pwned.txt")
        assert result.status is CallStatus.DENIED
        assert "not in the zoo" in result.error
        assert not executor.pool._idle  # nothing was even started


def test_dunder_callables_are_refused(sandbox):
    result = run(sandbox, "builtins:__import__", name="os")
    assert result.status is CallStatus.ERROR
    assert "PermissionError" in result.error


def test_call_and_spec_must_match(sandbox):
    from gorilla_router.errors import UsageError

    with pytest.raises(UsageError, match="spec given is"):
        sandbox.execute(ApiCall(api_id="other.api"), spec_for("sandbox_samples:echo"))


def test_a_rest_spec_is_refused_before_anything_runs(rest_spec):
    """The executor narrows to ``PythonSpec``; a REST spec never reaches the worker with an empty target."""
    from gorilla_router.errors import UsageError

    spec = rest_spec("https://example.test")
    with PythonExecutor() as executor:
        for attempt in (executor.preview, executor.execute):
            with pytest.raises(UsageError, match="is a rest API; this executor runs only python APIs"):
                attempt(ApiCall(api_id=spec.id), spec)
        assert not executor.pool._idle


def test_secrets_are_absent_from_the_child_environment(monkeypatch):
    monkeypatch.setenv("GR_TEST_SECRET_TOKEN", "topsecret-value")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    with PythonExecutor(env_passthrough=["GR_PASSED"]) as executor:
        environment = run(executor, "sandbox_samples:environment").output
    assert "GR_TEST_SECRET_TOKEN" not in environment
    assert "OPENAI_API_KEY" not in environment
    assert "topsecret-value" not in json.dumps(environment)
    assert set(environment) <= {
        "PATH",
        "LANG",
        "LC_ALL",
        "TZ",
        "HOME",
        "TMPDIR",
        "PYTHONDONTWRITEBYTECODE",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "LC_CTYPE",
    }


def test_infinite_loop_is_killed_at_the_timeout_and_the_pool_recovers():
    with PythonExecutor(timeout_s=1.0) as executor:
        executor.start()
        started = time.monotonic()
        result = run(executor, "sandbox_samples:spin")
        elapsed = time.monotonic() - started
        assert result.status is CallStatus.ERROR
        assert "ExecutionTimeout" in result.error
        assert "worker was killed" in result.error
        assert elapsed < 5
        assert run(executor, "sandbox_samples:add", a=1, b=1).output == 2  # a fresh worker answers


def test_cpu_limit_stops_a_runaway_call():
    with PythonExecutor(timeout_s=30.0, cpu_s=1.0) as executor:
        result = run(executor, "sandbox_samples:spin")
        assert result.status is CallStatus.ERROR
        assert "SIGXCPU" in result.error


def test_memory_bomb_is_stopped_by_the_limit(sandbox):
    result = run(sandbox, "sandbox_samples:eat_memory")
    assert result.status is CallStatus.ERROR
    assert "MemoryError" in result.error
    assert "256 MB" in result.error
    assert run(sandbox, "sandbox_samples:add", a=1, b=2).output == 3  # the worker survived


def test_a_worker_that_dies_is_reported_and_replaced(sandbox):
    result = run(sandbox, "sandbox_samples:exit_hard")
    assert result.status is CallStatus.ERROR
    assert "exited unexpectedly with code 3" in result.error
    assert run(sandbox, "sandbox_samples:add", a=2, b=2).output == 4


def test_in_process_opt_in_runs_without_a_worker():
    with PythonExecutor(in_process_allow=["math:*"]) as executor:
        assert run(executor, "math:sqrt", x=9).output == 3.0
        assert run(executor, "math:sqrt", x=-1).error == "ValueError: math domain error"
        assert not executor.pool._idle
        assert (
            executor.preview(ApiCall(api_id="samples.fn", arguments={"x": 1}), spec_for("math:sqrt", "x"))[
                "runs"
            ]
            == "in-process"
        )


def test_the_worker_does_not_inherit_the_parent_working_directory(sandbox):
    assert run(sandbox, "sandbox_samples:workdir").output != os.getcwd()


def test_pool_serves_concurrent_calls_with_at_most_pool_size_workers():
    from concurrent.futures import ThreadPoolExecutor

    with PythonExecutor(pool_size=2) as executor:
        with ThreadPoolExecutor(max_workers=4) as threads:
            results = list(threads.map(lambda n: run(executor, "sandbox_samples:add", a=n, b=1), range(8)))
        assert [r.output for r in results] == [n + 1 for n in range(8)]
        assert len(executor.pool._idle) <= 2
