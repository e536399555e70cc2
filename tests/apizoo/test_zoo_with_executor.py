"""The bundled zoo against the real execution stage: every example passes the executor's own argument
validation, every REST example builds a request to the spec's host (no network), and every Python
example runs in the real sandboxed worker with the same answer as in-process."""

from __future__ import annotations

import ast
import json
from urllib.parse import urlsplit

import pytest

from gorilla_router.execution import validate_arguments
from gorilla_router.execution.python_exec import PythonExecutor
from gorilla_router.execution.request_builder import build_request
from gorilla_router.specs import ApiCall, CallStatus

# Results that legitimately differ between two runs: random draws, fresh ids, the current time.
NON_DETERMINISTIC = {
    "random:randint",
    "random:choice",
    "random:sample",
    "random:uniform",
    "secrets:token_hex",
    "secrets:token_urlsafe",
    "gorilla_router.zoo.stdlib_helpers:new_uuid",
    "gorilla_router.zoo.stdlib_helpers:now_in_timezone",
}


def _arguments(call_source: str) -> dict:
    call = ast.parse(call_source, mode="eval").body
    assert isinstance(call, ast.Call)
    return {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}


def _calls(entries, kind=None):
    for entry in entries:
        if kind is None or entry.spec.kind == kind:
            for example in entry.spec.examples:
                yield (
                    entry,
                    ApiCall(api_id=entry.spec.id, arguments=_arguments(example.call), raw=example.call),
                )


def test_every_example_passes_the_executor_validation(zoo_entries):
    problems = []
    for entry, call in _calls(zoo_entries):
        try:
            validated = validate_arguments(call, entry.spec)
        except Exception as exc:  # reported with its entry below
            problems.append(f"{entry}: {call.raw}: {type(exc).__name__}: {exc}")
            continue
        changed = {k: v for k, v in call.arguments.items() if validated.arguments.get(k) != v}
        if changed:
            problems.append(f"{entry}: {call.raw}: validation changed {changed} (examples must be exact)")
    assert problems == []


def test_every_rest_example_builds_a_request_to_the_spec_host(zoo_entries):
    environ = {e.spec.auth.env: "test-secret-value" for e in zoo_entries if e.spec.auth is not None}
    problems = []
    built = 0
    for entry, call in _calls(zoo_entries, "rest"):
        spec = entry.spec
        request = build_request(validate_arguments(call, spec), spec, environ=environ)
        built += 1
        url, base = urlsplit(request.url), urlsplit(spec.base_url or "")
        static_prefix = (spec.path or "").split("{", 1)[0]
        if (url.scheme, url.netloc) != (base.scheme, base.netloc):
            problems.append(f"{entry}: request goes to {url.netloc}, not the spec's host {base.netloc}")
        if not url.path.startswith(base.path + static_prefix) or "{" in url.path:
            problems.append(f"{entry}: request path {url.path!r} does not fill the template {spec.path!r}")
        if request.method != spec.method:
            problems.append(f"{entry}: method {request.method} != {spec.method}")
        if spec.auth is not None and "test-secret-value" not in request.url + json.dumps(request.headers):
            problems.append(f"{entry}: the credential from {spec.auth.env} was not placed")
        if spec.method in ("GET", "DELETE") and request.body is not None:
            problems.append(f"{entry}: a {spec.method} request carries a body")
    assert problems == []
    assert built >= 150


@pytest.mark.slow
def test_every_python_example_runs_in_the_sandbox_like_in_process(zoo_entries):
    from gorilla_router.execution.sandbox_worker import call_with_arguments, load_callable

    problems = []
    with PythonExecutor(pool_size=1, timeout_s=20) as executor:
        for entry, call in _calls(zoo_entries, "python"):
            spec = entry.spec
            result = executor.execute(validate_arguments(call, spec), spec)
            if result.status is not CallStatus.OK:
                problems.append(f"{entry}: {call.raw}: {result.status.value}: {result.error}")
                continue
            if spec.callable in NON_DETERMINISTIC:
                continue
            expected = call_with_arguments(
                load_callable(spec.callable or ""), validate_arguments(call, spec).arguments, []
            )
            if result.output != json.loads(json.dumps(expected)):
                problems.append(
                    f"{entry}: {call.raw}: sandbox gave {result.output!r}, in-process {expected!r}"
                )
    assert problems == []


@pytest.mark.parametrize(
    ("arguments", "refused"),
    [
        ({"owner": "psf", "repo": "requests"}, None),
        ({"owner": "my-org", "repo": "api.v2_docs"}, None),
        ({"owner": "alice", "repo": "acme/webapp"}, "repo"),
        ({"owner": "psf/requests", "repo": "requests"}, "owner"),
        ({"owner": "-bad", "repo": "x"}, "owner"),
        ({"owner": "psf", "repo": "requests/../../admin"}, "repo"),
    ],
)
def test_github_owner_and_repo_are_single_names_as_github_allows(arguments, refused):
    """An "owner/repo" written whole into one of them is refused before anything is sent (GitHub's own
    rules: a login is letters, digits and inner hyphens; a repository name letters, digits, ``.``, ``_``,
    ``-``), so the repair round sees the validator's message instead of a wrong write going out."""
    from gorilla_router.errors import ValidationError
    from gorilla_router.zoo import ApiZoo

    spec = ApiZoo.bundled().get("github.issues.create")
    call = ApiCall(api_id=spec.id, arguments={**arguments, "title": "Crash on start"})
    if refused is None:
        assert validate_arguments(call, spec).arguments["repo"] == arguments["repo"]
    else:
        with pytest.raises(ValidationError, match=f"parameter '{refused}'"):
            validate_arguments(call, spec)
