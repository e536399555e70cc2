"""Which IP addresses a REST call may never reach (SSRF defence), and why.

Refused: unspecified, loopback, private, link-local, shared/CGNAT (100.64/10), multicast, reserved,
documentation/benchmarking and every other non-global range, plus known cloud-metadata endpoints. IPv6
addresses that embed an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``,
NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo) are judged by the IPv4 address they carry. Host
spellings that the C resolver treats as IPv4 (``2130706433``, ``0x7f.1``, ``0177.0.0.1``) are parsed
here with ``inet_aton`` — the same rules the resolver uses — so they are judged without any DNS lookup.
"""

from __future__ import annotations

import ipaddress
import re
import socket

__all__ = ["CLOUD_METADATA", "IPAddress", "embedded_ipv4", "parse_ip_literal", "refusal_reason"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Instance-metadata endpoints (AWS/GCP/Azure/OpenStack, AWS ECS, AWS IPv6, Alibaba, Oracle).
CLOUD_METADATA: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_BSD_IPV4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$", re.IGNORECASE)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host name denotes literally (any IPv4 spelling, IPv6 with or without brackets)."""
    text = host.strip().rstrip(".") if not host.startswith("[") else host.strip()[1:-1]
    text = text.split("%", 1)[0]  # IPv6 zone id
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _BSD_IPV4.match(text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be reached, or ``None`` when it is a public unicast address."""
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = refusal_reason(inner)
        return f"it embeds the IPv4 address {inner}, and {reason}" if reason else None
    checks = (
        (address in CLOUD_METADATA, "a cloud metadata endpoint"),
        (address.is_unspecified, "the unspecified address (it reaches this machine)"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "a shared/CGNAT address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a globally routable address"),
    )
    for refused, what in checks:
        if refused:
            return f"{address} is {what}"
    return None
