"""Resolve a URL's host once, check every address, and name the address the connection must use.

``TargetGuard.check(url)`` is called for the first request and for every redirect, right before the
connection is made; the connection then goes to the checked address (``Target.ip``) so a DNS answer that
changes between check and connect (DNS rebinding) cannot redirect it. If *any* address a name resolves to
is refused, the whole name is refused. ``allow_private`` entries (IPs, CIDRs or host names) let a user
reach their own private services; cloud-metadata addresses are reachable only if listed as exact IPs.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from gorilla_router.errors import ConfigError, ExecutionError, UnsafeTargetError
from gorilla_router.execution.addresses import CLOUD_METADATA, IPAddress, parse_ip_literal, refusal_reason

__all__ = ["Target", "TargetGuard"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """Where a request really goes: the checked ``ip``, and the ``hostname`` kept for Host and TLS SNI."""

    scheme: str
    hostname: str
    port: int
    ip: str

    @property
    def host_header(self) -> str:
        host = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host_header}"


class TargetGuard:
    """Checks URLs against the SSRF rules, with an explicit allow-list for the user's own services."""

    def __init__(self, allow_private: Sequence[str] = ()) -> None:
        self.allowed_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.allowed_hosts: set[str] = set()
        for entry in allow_private:
            try:
                self.allowed_networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                if not entry or "/" in entry or ":" in entry:
                    raise ConfigError(
                        f"allow_private entry {entry!r} is neither an IP, a CIDR nor a host name"
                    ) from None
                self.allowed_hosts.add(entry.lower().rstrip("."))

    def _allowed(self, hostname: str, address: IPAddress) -> bool:
        if address in CLOUD_METADATA:  # only an exact entry opens a metadata endpoint
            return any(net.num_addresses == 1 and address in net for net in self.allowed_networks)
        if hostname.lower().rstrip(".") in self.allowed_hosts:
            return True
        return any(address in net for net in self.allowed_networks)

    def check(self, url: str) -> Target:
        """Return the target to connect to, or raise ``UnsafeTargetError`` naming the refused address."""
        try:
            parsed = parse_url(url)
        except LocationParseError as exc:
            raise UnsafeTargetError(f"refused a malformed URL: {exc}") from exc
        scheme = (parsed.scheme or "").lower()
        if scheme not in _DEFAULT_PORTS:
            raise UnsafeTargetError(f"refused scheme {scheme or 'none'!r}: only http and https are allowed")
        hostname = (parsed.host or "").strip("[]")
        if not hostname:
            raise UnsafeTargetError(f"refused a URL without a host: {scheme}://…")
        port = parsed.port or _DEFAULT_PORTS[scheme]
        addresses = self._resolve(hostname, port)
        for address in addresses:
            reason = refusal_reason(address)
            if reason and not self._allowed(hostname, address):
                raise UnsafeTargetError(
                    f"refused {scheme}://{parsed.netloc}: host {hostname!r} resolves to {address}, "
                    f"and {reason}. To reach your own private service, list it in "
                    f"RestExecutor(allow_private=[...])"
                )
        return Target(scheme=scheme, hostname=hostname, port=port, ip=str(addresses[0]))

    @staticmethod
    def _resolve(hostname: str, port: int) -> list[IPAddress]:
        literal = parse_ip_literal(hostname)
        if literal is not None:
            return [literal]
        try:
            infos = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise ExecutionError(f"cannot resolve host {hostname!r}: {exc}", error_type="DNSError") from exc
        addresses: list[IPAddress] = []
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise ExecutionError(f"host {hostname!r} resolved to no address", error_type="DNSError")
        return addresses
