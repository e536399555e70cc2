"""The REST executor against a real HTTP service on 127.0.0.1 (placement, auth, redirects, limits)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorilla_router.execution.request_builder import build_request
from gorilla_router.execution.rest import RestExecutor
from gorilla_router.specs import ApiCall, AuthSpec, CallStatus

SECRET = "s3cr3t-Value/with+chars"  # the service's token (conftest.SERVICE_TOKEN)


@pytest.fixture
def executor() -> RestExecutor:
    return RestExecutor(
        allow_private=["127.0.0.1"], timeout=(2.0, 2.0), retries=0, environ={"LOCAL_TOKEN": SECRET}
    )


def run(executor: RestExecutor, spec: Any, **arguments: Any) -> Any:
    return executor.execute(ApiCall(api_id=spec.id, arguments=arguments), spec)


def received(executor: RestExecutor, service_url: str, rest_spec: Any) -> list[dict[str, Any]]:
    result = run(executor, rest_spec(service_url, "/_received"))
    assert result.ok, result.error
    return result.output


def test_get_places_path_query_and_header(rest_spec, executor, service_url):
    spec = rest_spec(service_url, "/echo/{item_id}", locations={"x_trace": "header"})
    result = run(executor, spec, item_id="42", q=["a b", "c"], count=3, x_trace="trace-1")
    assert result.status is CallStatus.OK, result.error
    assert result.output["raw_path"] == "/echo/42"
    assert result.output["query"] == {"q": ["a b", "c"], "count": ["3"]}
    assert result.output["headers"]["x_trace"] == "trace-1"
    assert result.request["method"] == "GET"
    assert result.request["response"]["status_code"] == 200


def test_post_sends_a_json_body_and_form_bodies_when_asked(rest_spec, executor, service_url):
    spec = rest_spec(service_url, "/echo", method="POST")
    result = run(executor, spec, payload={"burgers": 5}, tags=["x"])
    assert result.ok, result.error
    assert json.loads(result.output["body"]) == {"payload": {"burgers": 5}, "tags": ["x"]}
    assert result.output["headers"]["Content-Type"] == "application/json"
    form = rest_spec(service_url, "/echo", method="POST", body_encoding="form")
    result = run(executor, form, q="a&b=c", count=2)
    assert result.output["body"] == "q=a%26b%3Dc&count=2"


@pytest.mark.parametrize(
    "hostile", ["../_received", "..", ".", "a/../../b", "x?admin=1", "x#frag", "%2e%2e", "a b"]
)
def test_path_parameters_cannot_escape_their_segment(rest_spec, executor, service_url, hostile):
    spec = rest_spec(service_url, "/echo/{item_id}/tail")
    result = run(executor, spec, item_id=hostile)
    assert result.ok, result.error
    raw = result.output["raw_path"]
    assert raw.startswith("/echo/")
    assert raw.endswith("/tail")
    assert raw.count("/") == 3, raw  # still exactly one segment between /echo/ and /tail
    assert result.output["query"] == {}


def test_auth_comes_from_the_environment_and_never_shows(rest_spec, executor, service_url):
    auth = AuthSpec(env="LOCAL_TOKEN", location="header", name="Authorization", prefix="Bearer ")
    spec = rest_spec(service_url, "/auth", auth=auth)
    result = run(executor, spec, q="hello")
    assert result.ok, result.error
    assert result.output["authorized"] is True
    assert SECRET not in json.dumps(result.model_dump(mode="json"))  # echoed back, yet redacted
    assert result.output["seen"] == "Bearer ***"
    assert result.request["headers"]["Authorization"] == "***"
    wire = [r for r in received(executor, service_url, rest_spec) if r["path"].startswith("/auth")]
    assert wire[-1]["headers"]["Authorization"] == "Bearer " + SECRET  # the server did get the real one


def test_auth_in_query_is_masked_in_url_and_errors(rest_spec, executor, service_url):
    auth = AuthSpec(env="LOCAL_TOKEN", location="query", name="appid")
    result = run(executor, rest_spec(service_url, "/status/500", auth=auth), q="x")
    assert result.status is CallStatus.ERROR
    assert "HTTP 500" in result.error
    dumped = json.dumps(result.model_dump(mode="json"))
    assert SECRET not in dumped
    assert "s3cr3t" not in dumped
    assert "appid=***" in result.request["url"]


def test_missing_credential_is_a_clear_error_naming_the_variable(rest_spec, service_url):
    executor = RestExecutor(allow_private=["127.0.0.1"], environ={})
    spec = rest_spec(service_url, "/auth", auth=AuthSpec(env="MY_SERVICE_KEY"))
    result = run(executor, spec)
    assert result.status is CallStatus.ERROR
    assert "MY_SERVICE_KEY" in result.error
    assert "not set" in result.error


def test_redirect_chain_is_followed_and_capped(rest_spec, executor, service_url):
    result = run(executor, rest_spec(service_url, "/chain/3"))
    assert result.ok
    assert result.output == {"chain": "done"}
    too_long = run(executor, rest_spec(service_url, "/chain/9"))
    assert too_long.status is CallStatus.ERROR
    assert "max_redirects=5" in too_long.error


@pytest.mark.parametrize("target", ["http://10.0.0.7/", "http://169.254.169.254/latest/meta-data/"])
def test_redirect_to_private_or_metadata_address_is_refused(rest_spec, executor, service_url, target):
    spec = rest_spec(service_url, "/redirect", parameters={"type": "object", "properties": {"to": {}}})
    result = run(executor, spec, to=target)
    assert result.status is CallStatus.ERROR
    assert "UnsafeTargetError" in result.error
    assert "redirect 1 refused" in result.error
    assert target.split("/")[2] in result.error


def test_credentials_are_dropped_when_a_redirect_leaves_the_origin(
    rest_spec, service_url, service_port, fake_dns
):
    fake_dns("other.test", ["127.0.0.1"])
    executor = RestExecutor(allow_private=["127.0.0.1"], environ={"LOCAL_TOKEN": SECRET}, retries=0)
    auth = AuthSpec(env="LOCAL_TOKEN", prefix="Bearer ")
    spec = rest_spec(
        service_url, "/redirect", auth=auth, parameters={"type": "object", "properties": {"to": {}}}
    )
    result = run(executor, spec, to=f"http://other.test:{service_port}/echo/after")
    assert result.ok, result.error
    assert result.output["headers"]["Host"] == f"other.test:{service_port}"
    assert "Authorization" not in result.output["headers"]


def test_303_turns_post_into_get_without_body(rest_spec, executor, service_url):
    spec = rest_spec(
        service_url,
        "/redirect",
        method="POST",
        parameters={"type": "object", "properties": {"to": {}, "code": {}}},
        locations={"to": "query", "code": "query"},
    )
    result = run(executor, spec, to="/echo/next", code="303")
    assert result.ok, result.error
    assert result.output["method"] == "GET"
    assert result.output["body"] == ""


def test_slow_response_times_out(rest_spec, service_url):
    executor = RestExecutor(allow_private=["127.0.0.1"], timeout=(1.0, 0.5), retries=0)
    result = run(
        executor,
        rest_spec(service_url, "/slow", parameters={"type": "object", "properties": {"seconds": {}}}),
        seconds=3,
    )
    assert result.status is CallStatus.ERROR
    assert "ExecutionTimeout" in result.error
    assert "timed out" in result.error


@pytest.mark.parametrize("chunked", ["0", "1"])
def test_huge_response_is_cut_at_the_cap_and_reported(rest_spec, service_url, chunked):
    executor = RestExecutor(allow_private=["127.0.0.1"], max_response_bytes=100_000, retries=0)
    spec = rest_spec(
        service_url, "/huge", parameters={"type": "object", "properties": {"bytes": {}, "chunked": {}}}
    )
    result = run(executor, spec, bytes=50_000_000, chunked=chunked)
    assert result.status is CallStatus.ERROR
    assert "max_response_bytes=100000" in result.error
    assert len(result.output) == 100_000
    assert result.request["response"]["truncated"] is True


def test_non_json_bodies(rest_spec, executor, service_url):
    assert run(executor, rest_spec(service_url, "/text")).output == "plain text: café"
    assert run(executor, rest_spec(service_url, "/html")).output.startswith("<html>")
    binary = run(executor, rest_spec(service_url, "/binary"))
    assert binary.ok
    assert binary.output["content_type"] == "image/png"
    assert binary.output["size_bytes"] == 264
    bad = run(executor, rest_spec(service_url, "/badjson"))
    assert bad.status is CallStatus.ERROR
    assert "not valid JSON" in bad.error


def test_http_errors_become_error_results_with_the_body(rest_spec, executor, service_url):
    result = run(executor, rest_spec(service_url, "/status/404"))
    assert result.status is CallStatus.ERROR
    assert result.error.startswith("HTTP 404")
    assert result.output == {"error": "as requested"}


def test_retries_only_for_idempotent_methods(rest_spec, service_url):
    executor = RestExecutor(allow_private=["127.0.0.1"], retries=2)
    params = {"type": "object", "properties": {"key": {}, "fail": {}}}
    locations = {"key": "query", "fail": "query"}
    get = rest_spec(service_url, "/flaky", parameters=params, locations=locations)
    result = run(executor, get, key="get-1", fail=2)
    assert result.ok
    assert result.output == {"attempts": 3}
    post = rest_spec(service_url, "/flaky", method="POST", parameters=params, locations=locations)
    result = run(executor, post, key="post-1", fail=2)
    assert result.status is CallStatus.ERROR
    assert "HTTP 503" in result.error


def test_base_url_override_points_a_provider_at_a_local_server(rest_spec, service_url):
    spec = rest_spec("https://api.example.com/v1", "/echo/{item_id}", id="food.order")
    executor = RestExecutor(allow_private=["127.0.0.1"], base_url_overrides={"food": service_url})
    result = run(executor, spec, item_id="burger")
    assert result.ok, result.error
    assert result.output["raw_path"] == "/echo/burger"


def test_dry_run_preview_is_exactly_what_is_sent(rest_spec, executor, service_url):
    auth = AuthSpec(env="LOCAL_TOKEN", prefix="Bearer ")
    spec = rest_spec(service_url, "/echo/{item_id}", method="POST", auth=auth)
    call = ApiCall(api_id=spec.id, arguments={"item_id": "7", "payload": {"n": 1}, "q": "z"})
    preview = executor.preview(call, spec)
    result = executor.execute(call, spec)
    sent = result.output
    assert preview["url"].endswith(sent["path"])
    assert json.loads(sent["body"]) == preview["body"]
    assert preview["headers"]["Authorization"] == "***"
    outgoing = build_request(call, spec, environ={"LOCAL_TOKEN": SECRET})
    assert outgoing.headers["Authorization"] == "Bearer " + SECRET
    assert SECRET not in json.dumps(outgoing.describe())


def test_pinned_connection_keeps_the_host_header(rest_spec, service_port, fake_dns):
    fake_dns("service.test", ["127.0.0.1"])
    executor = RestExecutor(allow_private=["127.0.0.1"], retries=0)
    spec = rest_spec(f"http://service.test:{service_port}", "/echo")
    result = run(executor, spec)
    assert result.ok, result.error
    assert result.output["headers"]["Host"] == f"service.test:{service_port}"
    assert fake_dns.calls["service.test"] == 1  # resolved once, connected to the checked address
