"""Read the ``api_call`` of a community zoo entry: an HTTP route or a Python (SDK) call expression.

REST entries look like ``"GET /api/v2/users/{id}"`` (sometimes with a full URL, a query string or
``:id`` placeholders); the rest are call expressions such as
``service.users().stop(userId='me').execute()`` or ``yf.download({tickers}, start={start_date})``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from gorilla_router.callsyntax import CallSyntaxError, dotted_name, parse_single_call
from gorilla_router.zoo.importers.naming import identifier

__all__ = ["RestRoute", "call_chain", "find_example_url", "import_aliases", "keyword_names", "rest_route"]

_ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD)\s+((?:https?://|/)?[\w{}.~%@:-]*/\S*)")
_BARE_PATH = re.compile(r"^(/[\w{}.~%@:/-]*)$")
_COLON_PARAM = re.compile(r"/:([A-Za-z_]\w*)")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_INNERMOST_PARENS = re.compile(r"\([^()]*\)")
_IMPORT_AS = re.compile(r"^\s*import\s+([\w.]+)\s+as\s+(\w+)", re.MULTILINE)
_IDENT = re.compile(r"^[A-Za-z_]\w*$")


@dataclass
class RestRoute:
    """Method, path template (placeholders made identifiers) and, if the route had one, its base URL."""

    method: str
    path: str
    base_url: str | None = None
    renamed: dict[str, str] = field(default_factory=dict)  # original placeholder text → identifier
    dropped_query: str = ""
    missing_slash: bool = False


def rest_route(text: str, *, bare_method: str | None = None) -> RestRoute | None:
    """The HTTP route in ``text`` (``"DELETE /v1/items/{item-id}"``), or ``None`` if there is none.

    ``bare_method`` is the method to assume when ``text`` is only a path (``"/services/data/tabs"``);
    without it such text is not a route.
    """
    match = _ROUTE.search(text)
    bare = _BARE_PATH.match(text.strip()) if bare_method else None
    if match:
        method, target = match.group(1), match.group(2).rstrip(",;")
    elif bare and bare_method:
        method, target = bare_method, bare.group(1)
    else:
        return None
    base_url = None
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        base_url, target = f"{parts.scheme}://{parts.netloc}", parts.path or "/"
        target += f"?{parts.query}" if parts.query else ""
    path, _, query = target.partition("?")
    path = _COLON_PARAM.sub(lambda m: "/{" + m.group(1) + "}", path)
    renamed: dict[str, str] = {}

    def _placeholder(found: re.Match[str]) -> str:
        original = found.group(1)
        name = original if _IDENT.match(original) else identifier(original)
        if name != original:
            renamed[original] = name
        return "{" + name + "}"

    path = _PLACEHOLDER.sub(_placeholder, path)
    missing_slash = not path.startswith("/")
    path = path if not missing_slash else "/" + path
    return RestRoute(method, path, base_url, renamed, query, missing_slash)


def _call_text(api_call: str) -> str:
    """The call itself: no ``await``, only the first line, no ``result =`` in front."""
    text = api_call.strip().removeprefix("await ").strip()
    text = text.split("\n", 1)[0].strip().rstrip(";").strip()
    return text.split("=", 1)[-1].strip() if re.match(r"^\w+\s*=[^=]", text) else text


def _parsed_call(api_call: str) -> ast.Call | None:
    """The call as Python (:mod:`gorilla_router.callsyntax`), or ``None`` when the text is not Python."""
    try:
        return parse_single_call(_call_text(api_call))
    except CallSyntaxError:
        return None


def call_chain(api_call: str) -> list[str] | None:
    """``svc.users().stop(x=1).execute()`` → ``["svc", "users", "stop", "execute"]``; else ``None``.

    Python is read by the shared syntax core; text that is not Python (``f(a: str)`` and other
    documentation shorthand) falls back to dropping every bracketed group and reading what is left.
    """
    node = _parsed_call(api_call)
    if node is not None:
        name = dotted_name(node.func, through_calls=True)
        return name.split(".") if name else None
    head, previous = _call_text(api_call), None
    while previous != head:
        previous, head = head, _INNERMOST_PARENS.sub("", head)
    head = head.split("(", 1)[0].strip()
    parts = [part.strip() for part in head.split(".")]
    if not parts or not all(_IDENT.match(part) for part in parts):
        return None
    return parts


def keyword_names(api_call: str) -> list[str]:
    """Argument names written in a call: ``f(a={a}, b: str)`` → ``["a", "b"]`` (order kept, no repeats).

    For Python, the keywords of every call in the chain, in source order; otherwise the names written
    before ``=`` or ``: Type`` after an opening bracket or a comma.
    """
    node = _parsed_call(api_call)
    if node is not None:
        calls = [call for call in ast.walk(node) if isinstance(call, ast.Call)]
        written = sorted((k for call in calls for k in call.keywords), key=lambda k: (k.lineno, k.col_offset))
        names = [keyword.arg for keyword in written if keyword.arg is not None]
    else:
        names = re.findall(r"[(,{]\s*([A-Za-z_]\w*)\s*(?:=|:\s*[A-Za-z])", api_call)
    return list(dict.fromkeys(names))


def import_aliases(example_code: str) -> dict[str, str]:
    """``import yfinance as yf`` in the example code → ``{"yf": "yfinance"}``."""
    return {alias: module for module, alias in _IMPORT_AS.findall(example_code)}


def find_example_url(example_code: str, path: str) -> tuple[str, str] | None:
    """The host and path prefix of a URL in the example code whose path contains the route's path.

    ``https://instance.servicenow.com/api/now/account`` for ``/now/account`` → ``("instance.servicenow.com",
    "/api")``. Example hosts are documentation placeholders, so callers use only the prefix.
    """
    fixed = path.split("{", 1)[0].rstrip("/")
    if not fixed:
        return None
    for url in re.findall(r"https?://[^\s'\"`]+", example_code):
        parts = urlsplit(url)
        position = parts.path.find(fixed)
        if position >= 0:
            return parts.netloc, parts.path[:position].rstrip("/")
    return None
