"""SSRF suite: hostile targets (direct, via DNS, via redirects) are all refused, with the reason.

No connection may be attempted for a refused target: ``no_connect`` makes any outgoing connection fail
the test. DNS names are simulated with ``fake_dns`` (no external DNS here); IP spellings are the ones
the C resolver accepts (decimal, octal, hex, short forms, IPv6 forms embedding IPv4).
"""

from __future__ import annotations

from typing import Any

import pytest
import urllib3.util.connection

from gorilla_router.errors import UnsafeTargetError
from gorilla_router.execution.rest import RestExecutor
from gorilla_router.execution.targets import TargetGuard
from gorilla_router.specs import ApiCall, CallStatus

DIRECT = [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://127.0.0.2:8080/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://0x7f.0.0.1/", "loopback"),
    ("http://017700000001/", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://LOCALHOST:8000/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[0:0:0:0:0:0:0:1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::127.0.0.1]/", "loopback"),
    ("http://user:pass@127.0.0.1/", "loopback"),
    ("http://example.com@127.0.0.1/", "loopback"),
    ("https://127.0.0.1/", "loopback"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://10.0.0.1/", "private"),
    ("http://10.255.255.254/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://172.31.255.255/", "private"),
    ("http://192.168.0.1/", "private"),
    ("http://0xc0a80001/", "private"),
    ("http://3232235521/", "private"),
    ("http://[fc00::1]/", "private"),
    ("http://[fd12:3456::1]/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://169.254.169.254./", "metadata"),
    ("http://2852039166/", "metadata"),
    ("http://0xa9fea9fe/", "metadata"),
    ("http://0251.0376.0251.0376/", "metadata"),
    ("http://0xa9.0xfe.0xa9.0xfe/", "metadata"),
    ("http://[::ffff:169.254.169.254]/", "metadata"),
    ("http://[::ffff:a9fe:a9fe]/", "metadata"),
    ("http://[64:ff9b::a9fe:a9fe]/", "metadata"),
    ("http://[2002:a9fe:a9fe::1]/", "metadata"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://169.254.170.2/v2/credentials", "metadata"),
    ("http://100.100.100.200/latest/meta-data/", "metadata"),
    ("http://192.0.0.192/", "metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fe80::1%25eth0]/", "link-local"),
    ("http://[::ffff:0.0.0.0]/", "unspecified"),
    ("http://127.0.0.1\\@evil.example/", "loopback"),
    ("http://100.64.0.1/", "CGNAT"),
    ("http://100.127.255.254/", "CGNAT"),
    ("http://224.0.0.1/", "multicast"),
    ("http://239.255.255.250:1900/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "240.0.0.1"),
    ("http://255.255.255.255/", "255.255.255.255"),
    ("http://198.18.0.1/", "198.18.0.1"),
    ("http://192.0.2.1/", "192.0.2.1"),
]

VIA_DNS = [
    ("metadata.google.internal", ["169.254.169.254"], "metadata"),
    ("rebind.attacker.test", ["93.184.216.34", "127.0.0.1"], "loopback"),  # one bad answer is enough
    ("127.0.0.1.nip.io", ["127.0.0.1"], "loopback"),
    ("localtest.me", ["127.0.0.1"], "loopback"),
    ("v6.attacker.test", ["::1"], "loopback"),
    ("mapped.attacker.test", ["::ffff:10.0.0.1"], "private"),
    ("internal.corp.test", ["10.1.2.3"], "private"),
    ("cgnat.attacker.test", ["100.64.9.9"], "CGNAT"),
]


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a connection was attempted to {args[0]!r}")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    monkeypatch.setattr("urllib3.connection.connection.create_connection", refuse)


def call_base(rest_spec: Any, base_url: str, executor: RestExecutor | None = None) -> Any:
    spec = rest_spec(base_url, "/anything")
    return (executor or RestExecutor(retries=0)).execute(ApiCall(api_id=spec.id, arguments={}), spec)


def assert_refused(result: Any, reason: str) -> None:
    assert result.status is CallStatus.ERROR
    assert result.error.startswith("UnsafeTargetError"), result.error
    assert reason.lower() in result.error.lower(), result.error


@pytest.mark.parametrize(("base_url", "reason"), DIRECT, ids=[u for u, _ in DIRECT])
def test_hostile_base_urls_are_refused_before_connecting(rest_spec, no_connect, base_url, reason):
    assert_refused(call_base(rest_spec, base_url), reason)


@pytest.mark.parametrize(("name", "answer", "reason"), VIA_DNS, ids=[n for n, _, _ in VIA_DNS])
def test_names_resolving_to_refused_addresses_are_refused(
    rest_spec, no_connect, fake_dns, name, answer, reason
):
    fake_dns(name, answer)
    assert_refused(call_base(rest_spec, f"http://{name}/"), reason)


REDIRECTS = [
    ("http://127.0.0.2:{port}/echo", "loopback"),
    ("http://[::1]:{port}/echo", "loopback"),
    ("http://0x7f000002:{port}/echo", "loopback"),
    ("http://0.0.0.0:{port}/echo", "unspecified"),
    ("http://169.254.169.254/latest/meta-data/iam/", "metadata"),
    ("http://[::ffff:169.254.169.254]/", "metadata"),
    ("http://10.0.0.1/admin", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://rebound.attacker.test:{port}/echo", "private"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme 'gopher'"),
    ("ftp://127.0.0.1/", "scheme 'ftp'"),
    ("/redirect?to=http%3A%2F%2F10.0.0.1%2F", "redirect 2 refused"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("target", "reason"), REDIRECTS, ids=[t for t, _ in REDIRECTS])
def test_redirects_to_refused_targets_are_refused(
    rest_spec, fake_dns, service_url, service_port, target, reason
):
    fake_dns("rebound.attacker.test", ["10.9.9.9"])
    spec = rest_spec(service_url, "/redirect", parameters={"type": "object", "properties": {"to": {}}})
    executor = RestExecutor(allow_private=["127.0.0.1"], retries=0)
    result = executor.execute(
        ApiCall(api_id=spec.id, arguments={"to": target.format(port=service_port)}), spec
    )
    assert_refused(result, reason)
    assert "redirect" in result.error


def test_the_suite_is_large_enough():
    assert len(DIRECT) + len(VIA_DNS) + len(REDIRECTS) >= 40


@pytest.mark.slow
def test_dns_rebinding_cannot_swap_the_address_after_the_check(rest_spec, fake_dns, service_port):
    fake_dns("flip.attacker.test", ["127.0.0.1"], ["10.0.0.1"])  # 1st lookup allowed, later ones private
    executor = RestExecutor(allow_private=["127.0.0.1"], retries=0)
    result = call_base(rest_spec, f"http://flip.attacker.test:{service_port}", executor)
    assert result.status is CallStatus.ERROR
    assert "HTTP 404" in result.error
    assert fake_dns.calls["flip.attacker.test"] == 1  # the connection used the checked address
    again = call_base(rest_spec, f"http://flip.attacker.test:{service_port}", executor)
    assert_refused(again, "private")


def test_allow_list_is_exact():
    guard = TargetGuard(["127.0.0.1", "10.0.0.0/8", "localhost"])
    assert guard.check("http://127.0.0.1:8000/x").ip == "127.0.0.1"
    assert guard.check("http://10.20.30.40/").ip == "10.20.30.40"
    assert guard.check("http://localhost/").hostname == "localhost"
    with pytest.raises(UnsafeTargetError, match="loopback"):
        guard.check("http://127.0.0.2/")
    with pytest.raises(UnsafeTargetError, match=r"192\.168\.1\.1"):
        guard.check("http://192.168.1.1/")


def test_metadata_needs_an_exact_entry():
    with pytest.raises(UnsafeTargetError, match="metadata"):
        TargetGuard(["169.254.0.0/16"]).check("http://169.254.169.254/")
    assert TargetGuard(["169.254.169.254"]).check("http://169.254.169.254/").ip == "169.254.169.254"
    assert TargetGuard(["169.254.0.0/16"]).check("http://169.254.1.1/").ip == "169.254.1.1"


def test_public_addresses_pass_the_check():
    guard = TargetGuard()
    assert guard.check("https://8.8.8.8/").ip == "8.8.8.8"
    assert guard.check("http://[2606:4700:4700::1111]/").ip == "2606:4700:4700::1111"
