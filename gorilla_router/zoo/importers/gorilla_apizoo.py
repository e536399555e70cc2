"""Import the community Gorilla API Zoo format (``user_name, api_name, api_call, api_arguments, …``).

Lenient by design and honest about it: damaged JSON is repaired element by element, every entry ends up
loaded or listed in ``ImportReport.skipped`` with file, index and reason, and every guess is noted.

Mapping decisions (documented here because the source format leaves them open):

* **id** — ``provider.operation``: the provider from the file name (or, for a file named after its
  contributor, from the ``api_name`` prefix before ``" - "``); the operation from ``api_name`` in
  snake_case; collisions get ``_2``, ``_3`` …
* **REST** — an ``api_call`` (or, failing that, an ``api_name``) holding ``"METHOD /path"`` becomes a rest
  spec. The source has no base URL, so it is taken from ``metadata`` (``base_url``/``host``/``server``) or
  a URL in ``example_code`` ending with the path; else the placeholder ``https://<provider>.example.invalid``
  (``.invalid`` never resolves, so such a spec cannot reach a real host until someone sets its base URL).
  Side effects follow the method: GET read, POST/PUT/PATCH write, DELETE destructive.
* **Python** — any other call expression becomes a python spec whose ``callable`` is the call chain
  (``import X as Y`` aliases from ``example_code`` resolved, a trailing ``.execute()`` dropped), tagged
  ``python-sdk``: most are client-library calls that need an authenticated client and will not import as
  they are (``zoo validate`` says so). Side effects are guessed from verbs, erring towards write.
* **questions** — an example needs the exact call that answers the question, which the source does not
  give. Only for APIs without parameters is that call known (``id()``); there the questions become
  examples. Otherwise they are appended to the description ("Example requests: …") so retrieval still
  learns from them, and no example call is invented.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError as PydanticValidationError

from gorilla_router.specs import ApiSpec
from gorilla_router.zoo.importers.argument_schema import properties_from_arguments
from gorilla_router.zoo.importers.gorilla_calls import (
    RestRoute,
    call_chain,
    find_example_url,
    import_aliases,
    keyword_names,
    rest_route,
)
from gorilla_router.zoo.importers.lenient_json import LenientJsonError, read_json_list
from gorilla_router.zoo.importers.naming import (
    IdAllocator,
    identifier,
    side_effects_for_method,
    side_effects_for_words,
    words,
)
from gorilla_router.zoo.importers.report import ImportReport
from gorilla_router.zoo.problems import problems_from_pydantic

__all__ = ["import_gorilla_apizoo", "provider_for"]

SOURCE_TAG = "gorilla-apizoo"
_NOISE = {"api", "apis", "rest", "for", "in", "format", "the", "v1", "v2", "v3"}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def provider_for(file_stem: str, entry: dict[str, Any]) -> str:
    """The provider segment of an id: from the file name unless the file is named after its contributor."""
    user = _text(entry.get("user_name")).lower()
    stem = file_stem
    looks_like_username = re.fullmatch(r"[a-z]+\d+", stem) is not None  # e.g. "felixzhu1"
    similar = difflib.SequenceMatcher(None, stem.lower(), user).ratio() >= 0.55
    if looks_like_username or similar:
        prefix = _text(entry.get("api_name")).split(" - ", 1)[0]
        stem = prefix or stem
    kept = [w for w in words(stem) if w not in _NOISE]
    return identifier(" ".join(kept) or stem).removesuffix("api").strip("_") or "apizoo"


def _questions(entry: dict[str, Any]) -> list[str]:
    raw = entry.get("questions", entry.get("Questions"))
    items = raw if isinstance(raw, list) else [raw]
    return [q.strip() for q in items if isinstance(q, str) and q.strip()]


def _metadata(entry: dict[str, Any]) -> dict[str, Any]:
    for key in ("metadata", "meta_data"):
        if isinstance(entry.get(key), dict):
            return dict(entry[key])
    return {}


def _route(entry: dict[str, Any], notes: list[str]) -> RestRoute | None:
    api_call, api_name = _text(entry.get("api_call")), _text(entry.get("api_name"))
    route = rest_route(api_call) or rest_route(api_name)
    if route is None and side_effects_for_words(api_name) == "read":
        route = rest_route(api_call, bare_method="GET")
        if route is not None:
            notes.append("api_call is a bare path with no HTTP method; assumed GET from the read-only name")
    if route is not None:
        if route.missing_slash:
            notes.append(f"path without a leading '/'; read as {route.path}")
        for original, renamed in route.renamed.items():
            notes.append(f"path placeholder {{{original}}} renamed {{{renamed}}} (must be an identifier)")
        if route.dropped_query:
            notes.append(f"query string {route.dropped_query!r} moved out of the path into query parameters")
    return route


def _rest_fields(
    entry: dict[str, Any], provider: str, params: dict[str, Any], notes: list[str]
) -> dict[str, Any] | None:
    route = _route(entry, notes)
    if route is None:
        return None
    props, required = params["properties"], params["required"]
    for original, renamed in route.renamed.items():
        if original in props:
            props[renamed] = props.pop(original)
        required[:] = [renamed if name == original else name for name in required]
    for name in dict.fromkeys(_placeholders(route.path)):
        props.setdefault(name, {"type": "string", "description": f"Path parameter {name}."})
        if name not in required:
            required.append(name)
    for name in parse_qs(route.dropped_query, keep_blank_values=True):
        props.setdefault(name, {"type": "string", "description": f"Query parameter {name} (from the route)."})
    meta = _metadata(entry)
    declared = next(
        (_text(meta.get(k)) for k in ("base_url", "baseUrl", "host", "server") if meta.get(k)), ""
    )
    base_url = (declared if declared.startswith(("http://", "https://")) else "") or route.base_url
    if not base_url:
        base_url = f"https://{provider.replace('_', '-')}.example.invalid"
        found = find_example_url(_text(entry.get("example_code")), route.path)
        if found and found[1]:
            base_url += found[1]
            notes.append(
                f"base URL path prefix {found[1]!r} taken from example_code (host left a placeholder)"
            )
    headers = [n for n in props if n.lower().startswith("x-") or (n[:1].isupper() and "-" in n)]
    return {
        "kind": "rest",
        "method": route.method,
        "path": route.path,
        "base_url": base_url,
        "locations": dict.fromkeys(headers, "header"),
        "side_effects": side_effects_for_method(route.method),
    }


def _placeholders(path: str) -> list[str]:
    return re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", path)


def _python_fields(entry: dict[str, Any], provider: str) -> dict[str, Any] | None:
    chain = call_chain(_text(entry.get("api_call")))
    if chain is None:
        return None
    if len(chain) > 1 and chain[-1] == "execute":
        chain = chain[:-1]
    module = import_aliases(_text(entry.get("example_code"))).get(chain[0], chain[0])
    qualname = ".".join(chain[1:]) or chain[0]
    if len(chain) == 1:
        module = provider
    requirements = entry.get("env_requirements")
    reqs = [r.removeprefix("Python library:").strip() for r in requirements or [] if isinstance(r, str)]
    verbs = side_effects_for_words(chain[-1], _text(entry.get("api_name")).split(" - ")[-1])
    return {"kind": "python", "callable": f"{module}:{qualname}", "requirements": reqs, "side_effects": verbs}


def convert_entry(
    entry: dict[str, Any], file_stem: str, ids: IdAllocator, notes: list[str] | None = None
) -> ApiSpec:
    """One community entry → ``ApiSpec``; ``ValueError`` (or pydantic's) says why it cannot be mapped.

    Guesses and repairs made on the way are appended to ``notes``.
    """
    notes = [] if notes is None else notes
    api_name, api_call = _text(entry.get("api_name")), _text(entry.get("api_call"))
    if not api_name:
        raise ValueError("no api_name: an entry needs a name to get an id")
    if not api_call:
        raise ValueError("no api_call: nothing says how to call this API")
    provider = provider_for(file_stem, entry)
    arguments = entry.get("api_arguments")
    properties, required = properties_from_arguments(arguments) if isinstance(arguments, dict) else ({}, [])
    if not properties:
        properties = {name: {} for name in keyword_names(api_call) if name != "self"}
    params: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    kind_fields = _rest_fields(entry, provider, params, notes) or _python_fields(entry, provider)
    if kind_fields is None:
        raise ValueError(f"api_call is neither 'METHOD /path' nor a Python call: {api_call[:80]!r}")
    wanted = f"{provider}.{identifier(api_name, drop_leading={*provider.split('_'), *_NOISE})}"
    api_id = ids.allocate(wanted)
    if api_id != wanted:
        notes.append(f"id {wanted!r} already taken by an earlier entry; this one is {api_id!r}")
    meta = _metadata(entry)
    description = _text(entry.get("functionality")) or _text(meta.get("description")) or api_name
    if isinstance(arguments, str) and arguments.strip():
        description += f"\n\nArguments: {arguments.strip()}"
    questions = _questions(entry)
    examples = [{"query": q, "call": f"{api_id}()"} for q in questions] if not properties else []
    if questions and properties:
        description += "\n\nExample requests: " + " | ".join(questions)
    source = _text(meta.get("documentation_link"))
    return ApiSpec.model_validate(
        {
            "id": api_id,
            "name": api_name,
            "description": description,
            "provider": provider,
            "parameters": params,
            "examples": examples,
            "tags": [SOURCE_TAG] + (["python-sdk"] if kind_fields["kind"] == "python" else []),
            "version": _text(entry.get("api_version")) or "1",
            "source": source if source.startswith(("http://", "https://")) else None,
            **kind_fields,
        }
    )


def _files(paths: tuple[str | Path, ...]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        found.extend(
            sorted(p for p in path.iterdir() if p.suffix.lower() == ".json") if path.is_dir() else [path]
        )
    return found


def import_gorilla_apizoo(*paths: str | Path) -> ImportReport:
    """Import files or folders in the community format; see the module docstring for the mapping."""
    report, ids = ImportReport(), IdAllocator()
    for file in _files(paths):
        name = str(file)
        try:
            elements, notes = read_json_list(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, LenientJsonError) as error:
            report.seen += 1
            report.skip(name, "<file>", f"unreadable file: {error}")
            continue
        for note in notes:
            report.note(name, "<file>", note)
        for element in elements:
            report.seen += 1
            label = f"#{element.index}"
            for repair in element.repairs:
                report.note(name, label, f"repaired: {repair}")
            if element.error is not None:
                report.skip(name, label, f"damaged JSON: {element.error}")
            elif not isinstance(element.value, dict):
                report.skip(name, label, f"not an object: found a JSON {type(element.value).__name__}")
            else:
                notes_for_entry: list[str] = []
                try:
                    report.specs.append(convert_entry(element.value, file.stem, ids, notes_for_entry))
                except PydanticValidationError as error:
                    lines = "; ".join(
                        f"{p.field}: {p.message}" for p in problems_from_pydantic(name, label, error)
                    )
                    report.skip(name, label, f"does not fit the ApiSpec format: {lines}")
                except ValueError as error:
                    report.skip(name, label, str(error))
                for note in notes_for_entry:
                    report.note(name, label, note)
    return report
