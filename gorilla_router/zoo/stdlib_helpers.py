"""Small pure wrappers that let the API Zoo expose standard-library features as JSON-in, JSON-out calls.

Why this exists: some stdlib functions return objects (``hashlib.sha256`` → a hash object, ``datetime`` →
a datetime, ``urlparse`` → a named tuple), take ``bytes``, or have no introspectable signature
(``math.log``, ``unicodedata.name``). A zoo entry needs a callable whose keyword parameters match its
JSON Schema and whose result is JSON data, so each helper takes plain strings/numbers and returns plain
strings/numbers/lists/dicts. Bad input raises ``ValueError`` whose message names the argument and the fix.
Nothing here touches the network, the file system or the environment.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import hashlib
import math
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "add_days",
    "b64decode_text",
    "b64encode_text",
    "character_name",
    "convert_timezone",
    "days_between",
    "list_timezones",
    "logarithm",
    "md5_hex",
    "new_uuid",
    "now_in_timezone",
    "parse_url",
    "sha1_hex",
    "sha256_hex",
    "similarity_ratio",
    "unified_diff_text",
    "weekday_name",
]


def _digest(algorithm: str, text: str) -> str:
    return hashlib.new(algorithm, text.encode("utf-8")).hexdigest()


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``text``, as 64 lowercase hex digits."""
    return _digest("sha256", text)


def sha1_hex(text: str) -> str:
    """SHA-1 of the UTF-8 bytes of ``text``, as 40 lowercase hex digits (legacy checksums, not security)."""
    return _digest("sha1", text)


def md5_hex(text: str) -> str:
    """MD5 of the UTF-8 bytes of ``text``, as 32 lowercase hex digits (legacy checksums, not security)."""
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def b64encode_text(text: str, urlsafe: bool = False) -> str:
    """Base64 of the UTF-8 bytes of ``text``; ``urlsafe`` uses ``-``/``_`` instead of ``+``/``/``."""
    raw = text.encode("utf-8")
    encoded = base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)
    return encoded.decode("ascii")


def b64decode_text(data: str, urlsafe: bool = False) -> str:
    """Decode Base64 ``data`` to UTF-8 text; the ``ValueError`` says if the Base64 or the UTF-8 is bad."""
    try:
        raw = base64.urlsafe_b64decode(data) if urlsafe else base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"data is not valid Base64 ({exc}); pass the encoded string exactly") from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("data decodes to bytes that are not UTF-8 text; it is binary, not text") from exc


def _zone(name: str, argument: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(
            f"{argument}: unknown time zone {name!r}: use an IANA name such as 'Europe/Berlin'{hint}"
        ) from exc


def _date(value: str, argument: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{argument}: expected a date as YYYY-MM-DD, got {value!r}") from exc


def now_in_timezone(tz: str) -> str:
    """The current wall-clock time in IANA time zone ``tz`` as ISO 8601 with its UTC offset."""
    return datetime.now(_zone(tz, "tz")).isoformat(timespec="seconds")


def convert_timezone(time: str, from_tz: str, to_tz: str) -> str:
    """Convert the local time ``time`` (``YYYY-MM-DDTHH:MM[:SS]``) in ``from_tz`` to ``to_tz`` (ISO 8601)."""
    try:
        naive = datetime.fromisoformat(time)
    except ValueError as exc:
        raise ValueError(f"time: expected YYYY-MM-DDTHH:MM[:SS], got {time!r}") from exc
    if naive.tzinfo is not None:
        raise ValueError(f"time: give a local time without an offset (zone goes in from_tz), got {time!r}")
    aware = naive.replace(tzinfo=_zone(from_tz, "from_tz"))
    return aware.astimezone(_zone(to_tz, "to_tz")).isoformat(timespec="seconds")


def list_timezones(prefix: str = "") -> list[str]:
    """Sorted IANA time zone names starting with ``prefix`` (case-insensitive), e.g. ``"America/"``."""
    wanted = prefix.lower()
    return sorted(name for name in available_timezones() if name.lower().startswith(wanted))


def days_between(start: str, end: str) -> int:
    """Whole days from ``start`` to ``end`` (both ``YYYY-MM-DD``); negative when ``end`` is earlier."""
    return (_date(end, "end") - _date(start, "start")).days


def add_days(start: str, days: int) -> str:
    """The date ``days`` days after ``start`` (``YYYY-MM-DD``; negative goes back), as ``YYYY-MM-DD``."""
    return (_date(start, "start") + timedelta(days=days)).isoformat()


def weekday_name(day: str) -> str:
    """The English weekday name (``"Monday"`` …) of the date ``day`` (``YYYY-MM-DD``)."""
    return _date(day, "day").strftime("%A")


def parse_url(url: str) -> dict[str, Any]:
    """Split a URL into scheme, host, port, path, query (a dict of value lists) and fragment."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"url: the port in {url!r} is not a number between 0 and 65535") from exc
    return {
        "scheme": parts.scheme,
        "host": parts.hostname or "",
        "port": port,
        "path": parts.path,
        "query": parse_qs(parts.query, keep_blank_values=True),
        "fragment": parts.fragment,
    }


def similarity_ratio(a: str, b: str) -> float:
    """How similar two strings are, from 0.0 (nothing shared) to 1.0 (identical), via difflib."""
    return round(difflib.SequenceMatcher(None, a, b).ratio(), 4)


def unified_diff_text(a: str, b: str, fromfile: str = "a", tofile: str = "b") -> str:
    """A unified diff (like ``diff -u``) turning text ``a`` into text ``b``; empty when they are equal."""
    lines = difflib.unified_diff(
        a.splitlines(keepends=True), b.splitlines(keepends=True), fromfile=fromfile, tofile=tofile
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def character_name(char: str) -> str:
    """The Unicode name of a single character, e.g. ``"€"`` → ``"EURO SIGN"``."""
    if len(char) != 1:
        raise ValueError(f"char: expected exactly one character, got {len(char)} in {char!r}")
    name = unicodedata.name(char, "")
    if not name:
        raise ValueError(f"char: U+{ord(char):04X} has no Unicode name (a control or unassigned code point)")
    return name


def logarithm(x: float, base: float = math.e) -> float:
    """The logarithm of ``x`` in ``base`` (natural logarithm by default); both must be positive."""
    if x <= 0:
        raise ValueError(f"x: the logarithm needs a positive number, got {x}")
    if base <= 0 or base == 1:
        raise ValueError(f"base: must be positive and not 1, got {base}")
    return math.log(x, base)


def new_uuid() -> str:
    """A random version-4 UUID in its canonical 36-character form."""
    return str(uuid.uuid4())
