"""The composed executor end to end: real local service, real sandbox, real TLS with a pinned address."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gorilla_router.errors import UsageError
from gorilla_router.execution import KindDispatcher, Policy, RecordingExecutor, build_executor
from gorilla_router.execution.python_exec import PythonExecutor
from gorilla_router.execution.rest import RestExecutor
from gorilla_router.specs import ApiCall, ApiSpec, CallStatus

SERVICE = Path(__file__).with_name("service.py")


def test_build_executor_runs_rest_and_python_calls(rest_spec, sqrt_spec, service_url, tmp_path):
    read = rest_spec(service_url, "/echo/{item_id}", id="local.read")
    write = rest_spec(service_url, "/echo/{item_id}", method="POST", side_effects="write", id="local.write")
    sqrt = sqrt_spec
    confirmed: list[str] = []
    with PythonExecutor() as python:
        executor = build_executor(
            confirm=lambda call, spec, reason: confirmed.append(spec.id) is None,
            audit_log=tmp_path / "audit.jsonl",
            rest=RestExecutor(allow_private=["127.0.0.1"]),
            python=python,
        )
        got = executor.execute(ApiCall(api_id="local.read", arguments={"item_id": 5}), read)
        assert got.ok
        assert got.output["raw_path"] == "/echo/5"
        posted = executor.execute(
            ApiCall(api_id="local.write", arguments={"item_id": "9", "count": 2}), write
        )
        assert posted.ok
        assert posted.output["method"] == "POST"
        assert confirmed == ["local.write"]
        root = executor.execute(ApiCall(api_id="math.sqrt", arguments={"x": "3342398"}), sqrt)
        assert root.ok
        assert abs(root.output - 1828.2226) < 1e-3
        invalid = executor.execute(ApiCall(api_id="math.sqrt", arguments={"x": "sqrt of 3342398"}), sqrt)
        assert invalid.status is CallStatus.INVALID
        assert "parameter 'x': expected a number, got 'sqrt of 3342398'" in invalid.error
    assert len((tmp_path / "audit.jsonl").read_text().splitlines()) == 4


def test_kind_dispatcher_routes_by_kind():
    rest, python = RecordingExecutor(), RecordingExecutor()
    dispatcher = KindDispatcher(rest, python)
    spec = ApiSpec(id="m.f", name="f", description="d", kind="python", callable="math:floor")
    dispatcher.execute(ApiCall(api_id="m.f"), spec)
    assert python.api_ids == ["m.f"]
    assert rest.api_ids == []
    assert dispatcher.preview(ApiCall(api_id="m.f"), spec)["api_id"] == "m.f"


def test_policy_only_restricts_the_composed_executor(rest_spec, service_url):
    executor = build_executor(
        Policy(only=("weather.*",)), rest=RecordingExecutor(), python=RecordingExecutor()
    )
    result = executor.execute(ApiCall(api_id="local.echo"), rest_spec(service_url))
    assert result.status is CallStatus.DENIED
    assert "only" in result.error


def test_misuse_raises(rest_spec, service_url):
    with pytest.raises(UsageError):
        RestExecutor().execute(
            ApiCall(api_id="math.sqrt"),
            ApiSpec(id="math.sqrt", name="s", description="d", kind="python", callable="math:sqrt"),
        )


# --- TLS: the connection goes to the checked IP while SNI and certificate checks use the host name ---


@pytest.fixture(scope="module")
def tls_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=service.test",
            "-addext",
            "subjectAltName=DNS:service.test",
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {made.stderr[-200:]!r}")
    import os
    import signal

    proc = subprocess.Popen(
        [sys.executable, str(SERVICE), "--certfile", str(cert), "--keyfile", str(key)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[1])
    yield port, str(cert)
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=5)


def test_tls_keeps_sni_and_verifies_the_host_name(rest_spec, fake_dns, tls_service):
    port, cert = tls_service
    fake_dns("service.test", ["127.0.0.1"])
    executor = RestExecutor(allow_private=["127.0.0.1"], verify=cert, retries=0)
    spec: Any = rest_spec(f"https://service.test:{port}", "/echo/tls")
    result = executor.execute(ApiCall(api_id=spec.id), spec)
    assert result.ok, result.error
    assert result.output["sni"] == "service.test"
    assert result.output["headers"]["Host"] == f"service.test:{port}"
    by_ip = rest_spec(f"https://127.0.0.1:{port}", "/echo/tls")
    mismatch = executor.execute(ApiCall(api_id=by_ip.id), by_ip)
    assert mismatch.status is CallStatus.ERROR
    assert "SSLError" in mismatch.error
